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
    /// <summary>A health check of a system VM (SSVM, CPVM), run by its agent, started failing or passes again.</summary>
    public const string AlertSystemVmHealth = "ALERT.SYSTEMVM.HEALTH";
    public const string AlertAgentUnreachable = "ALERT.AGENT.UNREACHABLE";
    /// <summary>CloudStack's ALERT_TYPE_MANAGMENT_NODE: an API instance (management server) stopped its heartbeat; its jobs were taken over.</summary>
    public const string AlertManagementNode = "ALERT.MANAGEMENT";

    /// <summary>A bridge saw an agent come up, go down or miss its heartbeats (ResourceStateEvent <see cref="AgentStateChanged"/>).</summary>
    public const string AgentState = "AGENT.STATE";

    /// <summary>A bridge refused an agent's certificate (ActionEvent <see cref="AgentConnectionRefused"/>).</summary>
    public const string AgentConnectionRefused = "AGENT.CONNECTION.REFUSE";
    /// <summary>A RunHealthChecks outcome (ActionEvent), and each check's result (ResourceStateEvent <see cref="RouterHealthChecked"/>).</summary>
    public const string RouterHealthCheck = "ROUTER.HEALTHCHECK";

    /// <summary>How listEvents and the audit log name every AsyncJobEvent (on the bus their type is the job event: submit, update, complete).</summary>
    public const string AsyncJob = "ASYNC.JOB";

    /// <summary>updateConfiguration changed a global setting (ActionEvent <see cref="ConfigurationChanged"/>), CloudStack's EVENT_CONFIGURATION_VALUE_EDIT.</summary>
    public const string ConfigurationValueEdit = "CONFIGURATION.VALUE.EDIT";

    /// <summary>The API refused a call (ActionEvent <see cref="ApiRequestRefused"/>).</summary>
    public const string ApiRequestRefused = "API.REQUEST.REFUSE";
}
