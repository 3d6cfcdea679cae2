namespace Agents.Contracts.Events;

/// <summary>Event types this system emits, in CloudStack's dotted style (VM.RESETPASSWORD becomes VM-RESETPASSWORD in a routing key).</summary>
public static class EventTypes
{
    public const string VmResetPassword = "VM.RESETPASSWORD";
    public const string VmResetSshKey = "VM.RESETSSHKEY";
    public const string AgentRecipeRun = "AGENT.RECIPE.RUN";
    public const string RouterPatch = "SYSTEMVM.PATCH";
    public const string CertificateRekey = "CA.CERTIFICATE.PROVISION";

    public const string CertificateIssued = "CA.CERTIFICATE.ISSUE";
    public const string CertificateRevoked = "CA.CERTIFICATE.REVOKE";
    public const string CertificateRenewalRequested = "CA.CERTIFICATE.RENEWAL";

    public const string AlertCertificateExpiring = "ALERT.CA.CERTIFICATE.EXPIRING";
    public const string AlertRouterHealth = "ALERT.ROUTER.HEALTH";
    public const string AlertAgentUnreachable = "ALERT.AGENT.UNREACHABLE";

    public const string AgentState = "AGENT.STATE";

    /// <summary>A bridge refused an agent's certificate (ActionEvent <see cref="AgentConnectionRefused"/>).</summary>
    public const string AgentConnectionRefused = "AGENT.CONNECTION.REFUSE";
    public const string RouterHealthCheck = "ROUTER.HEALTHCHECK";

    public const string AsyncJob = "ASYNC.JOB";

    /// <summary>The API refused a call (ActionEvent <see cref="ApiRequestRefused"/>).</summary>
    public const string ApiRequestRefused = "API.REQUEST.REFUSE";
}

/// <summary>Resource types as they appear in event routing keys and bodies.</summary>
public static class ResourceTypes
{
    public const string VirtualMachine = "VirtualMachine";
    public const string DomainRouter = "DomainRouter";
    public const string Certificate = "Certificate";
    public const string AsyncJob = "AsyncJob";
    public const string Account = "Account";
}
