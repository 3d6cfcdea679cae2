using System.Text.Json;
using Agents.Contracts.Events;
using Agents.WebConsole.Hosting;

namespace Agents.WebConsole.Live;

/// <summary>
/// Which events become notices: a job that ends, an agent that goes down or comes back, a router
/// health check that fails or recovers, a certificate near expiry (and any other alert, for admins).
/// Other events only tell open pages that something they show changed. Events are read with the
/// contract's readers (<see cref="CloudStackEvent.Read"/> and each record's <c>FromEvent</c>).
/// </summary>
public static class NoticeTranslator
{
    /// <exception cref="InvalidEventException">An event of a kind the console shows, without what that kind must carry.</exception>
    public static LiveNotice? Translate(CloudStackEvent e)
    {
        ArgumentNullException.ThrowIfNull(e);
        return e.Category switch
        {
            EventCategory.AsyncJobEvent => Job(AsyncJobChanged.FromEvent(e)),
            EventCategory.ResourceStateEvent => AgentStateChanged.FromEvent(e) is { } agent ? Agent(agent)
                : RouterHealthChecked.FromEvent(e) is { } check ? Health(check) : null,
            EventCategory.AlertEvent => Alert(AlertRaised.FromEvent(e)),
            EventCategory.ActionEvent when e.Type.StartsWith("CA.CERTIFICATE.", StringComparison.Ordinal) =>
                new LiveNotice("certificate", "certificates", "info", "Certificates changed", e.Type, Toast: false),
            _ => null,
        };
    }

    private static LiveNotice Job(AsyncJobChanged job)
    {
        var id = job.JobId.ToString();
        var (level, title) = job.Status switch
        {
            AsyncJobStatus.Succeeded => ("success", $"Job {job.Command} succeeded"),
            AsyncJobStatus.Failed => ("error", $"Job {job.Command} failed"),
            _ => ("info", ""),
        };
        var ended = job.Status != AsyncJobStatus.Pending;
        return new LiveNotice("job", "job:" + id, level, title, ended ? ErrorText(job) : job.Stage ?? "", Toast: ended)
        {
            Account = job.Account,
            VmId = job.InstanceType == ResourceTypes.VirtualMachine ? job.InstanceUuid : null,
            Link = ConsolePaths.Job(id),
        };
    }

    /// <summary>A failed job's errortext (its jobResult, as CloudStack's); nothing for a success.</summary>
    private static string ErrorText(AsyncJobChanged job) =>
        job.JobResult is { ValueKind: JsonValueKind.Object } result && result.TryGetProperty("errortext", out var text) && text.ValueKind == JsonValueKind.String
            ? text.GetString() ?? ""
            : "";

    private static LiveNotice Agent(AgentStateChanged agent)
    {
        var up = agent.NewState == AgentStates.Up;
        var text = agent.Reason is { } reason ? $"{agent.NewState}: {reason}" : agent.NewState;
        return new LiveNotice("agent", "vm:" + agent.VmId, up ? "success" : "warning",
            $"Agent of VM {agent.VmId} is {(up ? "up" : agent.NewState.ToLowerInvariant())}", text, Toast: agent.OldState != agent.NewState)
        {
            VmId = agent.VmId,
            Link = ConsolePaths.Vm(agent.VmId),
        };
    }

    /// <summary>A check's result refreshes the router's pages; its failing or recovering is the ALERT.ROUTER.HEALTH alert's toast.</summary>
    private static LiveNotice Health(RouterHealthChecked check) =>
        new("router-health", "router:" + check.RouterId, check.Result.Success ? "info" : "warning", "", check.Result.CheckName, Toast: false)
        {
            Link = ConsolePaths.Router(check.RouterId),
        };

    private static LiveNotice Alert(AlertRaised alert)
    {
        var resolved = alert.State == AlertState.Resolved;
        var resource = alert.ResourceUuid;
        var (kind, topic, link) = alert.AlertType switch
        {
            EventTypes.AlertRouterHealth when resource is not null => ("router-health", "router:" + resource, ConsolePaths.Router(resource)),
            EventTypes.AlertCertificateExpiring => ("certificate", "certificates", ConsolePaths.Root + "/certificates"),
            _ when alert.ResourceType == ResourceTypes.VirtualMachine && resource is not null => ("alert", "vm:" + resource, ConsolePaths.Vm(resource)),
            _ => ("alert", "alerts", ConsolePaths.Root + "/events?category=" + EventCategory.AlertEvent),
        };
        var level = resolved ? "success" : alert.Severity is AlertSeverity.Critical ? "error" : "warning";
        return new LiveNotice(kind, topic, level, resolved ? "Resolved: " + alert.Subject : alert.Subject, alert.Body, Toast: true)
        {
            VmId = alert.ResourceType == ResourceTypes.VirtualMachine ? resource : null,
            Link = link,
        };
    }
}
