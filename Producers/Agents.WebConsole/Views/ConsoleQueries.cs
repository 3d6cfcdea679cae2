using System.Globalization;
using Agents.WebConsole.Api;
using Agents.WebConsole.Sessions;

namespace Agents.WebConsole.Views;

/// <summary>The reads several pages share, each made of API calls as the signed-in user.</summary>
public static class ConsoleQueries
{
    /// <summary>CloudStack's setting of the CA's expiry alert window (days).</summary>
    public const string ExpiryAlertSetting = "ca.framework.cert.expiry.alert.period";

    private static readonly (string, string?) Everything = ("pagesize", "-1");

    public static async Task<IReadOnlyList<AgentView>> AgentsAsync(ConsoleContext context, CancellationToken ct, string? vmId = null, string? routerId = null)
    {
        ArgumentNullException.ThrowIfNull(context);
        var reply = await context.CallAsync("listAgents", ct, Everything, ("virtualmachineid", vmId), ("routerid", routerId)).ConfigureAwait(false);
        return ApiReply.Items(reply, "agent").Select(AgentView.From).ToList();
    }

    public static async Task<IReadOnlyList<VmView>> VmsAsync(ConsoleContext context, CancellationToken ct, string? routerId = null)
    {
        ArgumentNullException.ThrowIfNull(context);
        var reply = await context.CallAsync("listVirtualMachines", ct, Everything, ("listall", "true"), ("routerid", routerId)).ConfigureAwait(false);
        return ApiReply.Items(reply, "virtualmachine").Select(VmView.From).ToList();
    }

    /// <summary>Every router that serves a registered VM or has an agent connected, with its last health checks (admins only: the API refuses users).</summary>
    public static async Task<IReadOnlyList<RouterView>> RoutersAsync(ConsoleContext context, CancellationToken ct)
    {
        var vms = await VmsAsync(context, ct).ConfigureAwait(false);
        var agents = await AgentsAsync(context, ct).ConfigureAwait(false);
        var ids = vms.Select(v => v.RouterId).Concat(agents.Select(a => a.RouterId)).OfType<string>().Distinct(StringComparer.Ordinal);
        var routers = new List<RouterView>();
        foreach (var id in ids) routers.Add(await RouterAsync(context, id, vms.Count(v => v.RouterId == id), ct).ConfigureAwait(false));
        return RouterView.FailuresFirst(routers);
    }

    public static async Task<RouterView> RouterAsync(ConsoleContext context, string id, int vms, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(context);
        var reply = await context.CallAsync("getRouterHealthCheckResults", ct, ("routerid", id)).ConfigureAwait(false);
        var checks = ApiReply.Items(reply["routerhealthchecks"] as System.Text.Json.Nodes.JsonObject ?? new System.Text.Json.Nodes.JsonObject(), "healthchecks").Select(HealthCheckView.From)
            .OrderBy(c => c.Success).ThenBy(c => c.Name, StringComparer.Ordinal).ToList();
        return new RouterView(id, checks, vms);
    }

    /// <summary>The CA's alert window when the API tells it (admins), else the console's own setting.</summary>
    public static async Task<TimeSpan> ExpiryWindowAsync(ConsoleContext context, int fallbackDays, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.User is { IsAdmin: true })
        {
            try
            {
                var reply = await context.CallAsync("listConfigurations", ct, ("name", ExpiryAlertSetting)).ConfigureAwait(false);
                var value = ApiReply.Items(reply, "configuration").Select(c => ApiReply.Text(c, "value")).FirstOrDefault();
                if (int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var days) && days > 0) return TimeSpan.FromDays(days);
            }
            catch (ConsoleApiException)
            {
                // an API without the setting: the console's own window
            }
        }
        return TimeSpan.FromDays(fallbackDays);
    }
}
