using Agents.Contracts.Events;

namespace Agents.Consumers.Alerts;

/// <summary>What an operator should do about an alert, by event type (the "what to do" of every e-mail).</summary>
public static class AlertAdvice
{
    public static string For(string type, string resourceType, string resourceId) => type.ToUpperInvariant() switch
    {
        EventTypes.AlertAgentUnreachable =>
            $"The VM {resourceId} probably has no agent, or its agent cannot reach its router. Attach the agent ISO to the VM " +
            $"(attachIso id=<agent ISO> virtualmachineid={resourceId}), install or start the agent inside the VM, " +
            "then retry the operation. If the agent is installed, check that it runs and that the VM reaches its virtual router on the agent port.",
        EventTypes.AlertCertificateExpiring =>
            "Renew the certificate: provisionCertificate for its holder (or issueCertificate for a new one). " +
            "If automatic renewal is on, check that the holder's agent or bridge is running and connected to its router.",
        EventTypes.AlertSystemVmHealth => SystemVmAdvice(resourceId),
        EventTypes.RouterHealthCheck when resourceType == ResourceTypes.VirtualMachine => SystemVmAdvice(resourceId),
        EventTypes.AlertRouterHealth or EventTypes.RouterHealthCheck =>
            $"Look at the router: getRouterHealthCheckResults routerid={resourceId} performfreshchecks=true. " +
            "Restart it or patch it (patchSystemVm) if it does not recover.",
        EventTypes.AgentState =>
            $"The agent of VM {resourceId} stopped answering. Check that the VM runs and that the agent service is up; " +
            "if the VM has no agent, attach the agent ISO and install it.",
        EventTypes.CertificateRevoked =>
            "The certificate can no longer be used. Issue a new one to its holder (provisionCertificate) if the revocation was intended; otherwise investigate who revoked it.",
        EventTypes.VmResetPassword or EventTypes.VmResetSshKey or EventTypes.AgentRecipeRun =>
            $"The command failed on {resourceType} {resourceId}. Read the job result (queryAsyncJobResult); " +
            "if the VM has no agent, attach the agent ISO and install it, then retry.",
        _ => $"Look at {resourceType} {resourceId} (listEvents resourceid={resourceId}) and at the service that raised the event.",
    };

    private static string SystemVmAdvice(string resourceId) =>
        $"Look at the system VM: getSystemVmHealthCheckResults id={resourceId} performfreshchecks=true. " +
        "Patch it (patchSystemVm) or restart it if it does not recover.";
}
