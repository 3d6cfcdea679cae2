using System.Data.Common;
using Agents.Storage;

namespace Agents.Producers.Presence;

/// <summary>Agents' presence and routers' health checks; a late event never overwrites a newer state.</summary>
public sealed class SqlAgentDirectory(Database db) : IAgentDirectory
{
    private readonly string _recordAgent = db.Dialect.Upsert("agents",
        ["vm_id", "router_id", "state", "agent_version", "address", "certificate_serial", "certificate_not_after", "capabilities", "reason", "changed"],
        ["vm_id"], newerColumn: "changed");

    private readonly string _recordCheck = db.Dialect.Upsert("router_health",
        ["router_id", "check_name", "check_type", "success", "details", "last_updated"], ["router_id", "check_name"], newerColumn: "last_updated");

    public Task RecordAsync(AgentInfo agent, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(agent);
        return db.ExecuteAsync(_recordAgent,
            ("@vm_id", agent.VmId), ("@router_id", agent.RouterId), ("@state", agent.State), ("@agent_version", agent.AgentVersion), ("@address", agent.Address),
            ("@certificate_serial", agent.CertificateSerial), ("@certificate_not_after", agent.CertificateNotAfter), ("@capabilities", agent.Capabilities),
            ("@reason", agent.Reason), ("@changed", agent.Changed.Iso()));
    }

    public Task RecordAsync(HealthCheckInfo check, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(check);
        return db.ExecuteAsync(_recordCheck,
            ("@router_id", check.RouterId), ("@check_name", check.CheckName), ("@check_type", check.CheckType), ("@success", check.Success ? 1 : 0),
            ("@details", check.Details), ("@last_updated", check.LastUpdated.Iso()));
    }

    public async Task<IReadOnlyList<AgentInfo>> ListAsync(string? routerId, string? vmId, CancellationToken ct) =>
        await db.QueryAsync(
            "SELECT vm_id, router_id, state, agent_version, address, certificate_serial, certificate_not_after, capabilities, reason, changed FROM agents " +
            "WHERE (@r IS NULL OR router_id = @r) AND (@vm IS NULL OR vm_id = @vm) ORDER BY vm_id",
            r => new AgentInfo(r.GetString(0), r.NullableString(1), r.GetString(2), r.NullableString(3), r.NullableString(4), r.NullableString(5),
                r.NullableString(6), r.NullableString(7), r.NullableString(8), r.Time(9)),
            ("@r", routerId), ("@vm", vmId)).ConfigureAwait(false);

    public async Task<IReadOnlyList<HealthCheckInfo>> HealthAsync(string routerId, CancellationToken ct) =>
        await db.QueryAsync(
            "SELECT router_id, check_name, check_type, success, details, last_updated FROM router_health WHERE router_id = @r ORDER BY check_name",
            Map, ("@r", routerId)).ConfigureAwait(false);

    private static HealthCheckInfo Map(DbDataReader r) =>
        new(r.GetString(0), r.GetString(1), r.NullableString(2), r.Int(3) != 0, r.NullableString(4), r.Time(5));
}
