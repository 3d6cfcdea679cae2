namespace Agents.WebConsole.Views;

/// <summary>A router with its last health check results: failing routers sort first, then by id.</summary>
public sealed record RouterView(string Id, IReadOnlyList<HealthCheckView> Checks, int Vms)
{
    public int Failures => Checks.Count(c => !c.Success);

    public DateTimeOffset? LastRun => Checks.Count == 0 ? null : Checks.Max(c => c.LastUpdated);

    public static IReadOnlyList<RouterView> FailuresFirst(IEnumerable<RouterView> routers) =>
        routers.OrderByDescending(r => r.Failures > 0).ThenByDescending(r => r.Failures).ThenBy(r => r.Id, StringComparer.Ordinal).ToList();
}
