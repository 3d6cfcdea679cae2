using Agents.Producers.Storage;
using Microsoft.Data.Sqlite;

namespace Agents.Producers.Presence;

public sealed class SqliteAgentDirectory(Database db) : IAgentDirectory
{
    public Task RecordAsync(AgentInfo agent, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(agent);
        return db.ExecuteAsync(
            "INSERT INTO agents(vm_id, router_id, state, agent_version, address, certificate_serial, certificate_not_after, capabilities, reason, changed) " +
            "VALUES ($vm, $r, $s, $v, $a, $cs, $cn, $cap, $reason, $t) ON CONFLICT(vm_id) DO UPDATE SET router_id = excluded.router_id, state = excluded.state, " +
            "agent_version = excluded.agent_version, address = excluded.address, certificate_serial = excluded.certificate_serial, " +
            "certificate_not_after = excluded.certificate_not_after, capabilities = excluded.capabilities, reason = excluded.reason, changed = excluded.changed " +
            "WHERE excluded.changed >= agents.changed",
            ("$vm", agent.VmId), ("$r", agent.RouterId), ("$s", agent.State), ("$v", agent.AgentVersion), ("$a", agent.Address),
            ("$cs", agent.CertificateSerial), ("$cn", agent.CertificateNotAfter), ("$cap", agent.Capabilities), ("$reason", agent.Reason), ("$t", agent.Changed.Iso()));
    }

    public Task RecordAsync(HealthCheckInfo check, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(check);
        return db.ExecuteAsync(
            "INSERT INTO router_health(router_id, check_name, check_type, success, details, last_updated) VALUES ($r, $n, $t, $s, $d, $u) " +
            "ON CONFLICT(router_id, check_name) DO UPDATE SET check_type = excluded.check_type, success = excluded.success, details = excluded.details, " +
            "last_updated = excluded.last_updated WHERE excluded.last_updated >= router_health.last_updated",
            ("$r", check.RouterId), ("$n", check.CheckName), ("$t", check.CheckType), ("$s", check.Success ? 1 : 0), ("$d", check.Details), ("$u", check.LastUpdated.Iso()));
    }

    public async Task<IReadOnlyList<AgentInfo>> ListAsync(string? routerId, string? vmId, CancellationToken ct) =>
        await db.QueryAsync(
            "SELECT vm_id, router_id, state, agent_version, address, certificate_serial, certificate_not_after, capabilities, reason, changed FROM agents " +
            "WHERE ($r IS NULL OR router_id = $r) AND ($vm IS NULL OR vm_id = $vm) ORDER BY vm_id",
            r => new AgentInfo(r.GetString(0), r.NullableString(1), r.GetString(2), r.NullableString(3), r.NullableString(4), r.NullableString(5),
                r.NullableString(6), r.NullableString(7), r.NullableString(8), r.Time(9)),
            ("$r", routerId), ("$vm", vmId)).ConfigureAwait(false);

    public async Task<IReadOnlyList<HealthCheckInfo>> HealthAsync(string routerId, CancellationToken ct) =>
        await db.QueryAsync(
            "SELECT router_id, check_name, check_type, success, details, last_updated FROM router_health WHERE router_id = $r ORDER BY check_name",
            Map, ("$r", routerId)).ConfigureAwait(false);

    private static HealthCheckInfo Map(SqliteDataReader r) =>
        new(r.GetString(0), r.GetString(1), r.NullableString(2), r.GetInt32(3) != 0, r.NullableString(4), r.Time(5));
}
