namespace Agents.WebConsole.Live;

/// <summary>
/// Which events become notices: a job that ends, an agent that goes down or comes back, a router
/// health check that fails or recovers, a certificate near expiry (and any other alert, for admins).
/// Other events only tell open pages that something they show changed.
/// </summary>
public static class NoticeTranslator
{
    public const string VirtualMachine = "VirtualMachine";
    public const string DomainRouter = "DomainRouter";

    public static LiveNotice? Translate(CloudStackDelivery e)
    {
        ArgumentNullException.ThrowIfNull(e);
        return e.Category switch
        {
            "AsyncJobEvent" => Job(e),
            "ResourceStateEvent" => State(e),
            "AlertEvent" => Alert(e),
            "ActionEvent" when e.Type.StartsWith("CA.CERTIFICATE.", StringComparison.Ordinal) =>
                new LiveNotice("certificate", "certificates", "info", "Certificates changed", e.Type, Toast: false),
            _ => null,
        };
    }

    private static LiveNotice? Job(CloudStackDelivery e)
    {
        var id = e["jobId"] ?? e.ResourceId;
        if (id is null) return null;
        var command = e["command"] ?? e["cmd"] ?? "job";
        var vm = e["instanceType"] == VirtualMachine ? e["instanceUuid"] : null;
        var (level, title) = (e["status"] ?? e["jobStatus"]) switch
        {
            "1" => ("success", $"Job {command} succeeded"),
            "2" => ("error", $"Job {command} failed"),
            _ => ("info", ""),
        };
        var ended = title.Length > 0;
        var text = ended ? e["jobResult"] ?? e["processStatus"] ?? "" : e["processStatus"] ?? "";
        return new LiveNotice("job", "job:" + id, level, title, text, Toast: ended)
        {
            Account = e["account"],
            VmId = vm,
            Link = "/console/job/" + id,
        };
    }

    private static LiveNotice? State(CloudStackDelivery e)
    {
        if (e.ResourceId is not { } id) return null;
        if (e.Type == "AGENT.STATE" && e.ResourceType == VirtualMachine)
        {
            var state = e["new-state"] ?? "unknown";
            var up = state == "Up";
            var changed = e["old-state"] != state;
            var text = e["reason"] is { } reason ? $"{state}: {reason}" : state;
            return new LiveNotice("agent", "vm:" + id, up ? "success" : "warning", $"Agent of VM {id} is {(up ? "up" : state.ToLowerInvariant())}", text, Toast: changed)
            {
                VmId = id,
                Link = "/console/vm/" + id,
            };
        }
        if (e.ResourceType == DomainRouter)
            return new LiveNotice("router-health", "router:" + id, e["success"] == "false" ? "warning" : "info", "", e["checkName"] ?? "", Toast: false) { Link = "/console/router/" + id };
        return null;
    }

    private static LiveNotice Alert(CloudStackDelivery e)
    {
        var resolved = e["state"] == "Resolved";
        var resourceType = e["resourceType"] ?? e.ResourceType;
        var resource = e["resourceUuid"] ?? e.ResourceId;
        var subject = e["subject"] ?? e.Type;
        var (kind, topic, link) = e.Type switch
        {
            "ALERT.ROUTER.HEALTH" => ("router-health", "router:" + resource, "/console/router/" + resource),
            "ALERT.CA.CERTIFICATE.EXPIRING" => ("certificate", "certificates", "/console/certificates"),
            _ when resourceType == VirtualMachine && resource is not null => ("alert", "vm:" + resource, "/console/vm/" + resource),
            _ => ("alert", "alerts", "/console/events?category=AlertEvent"),
        };
        var level = resolved ? "success" : e["severity"] is "Critical" or "Error" ? "error" : "warning";
        return new LiveNotice(kind, topic, level, resolved ? "Resolved: " + subject : subject, e["body"] ?? "", Toast: true)
        {
            VmId = resourceType == VirtualMachine ? resource : null,
            Link = link,
        };
    }
}
