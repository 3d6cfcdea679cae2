using Agents.Producers.Storage;
using Microsoft.Data.Sqlite;

namespace Agents.Producers.FirstBoot;

public sealed class SqliteFirstBootStore(Database db) : IFirstBootStore
{
    private const string Columns = "vm_id, recipes, state, job_id, updated";

    private static FirstBootChoice Map(SqliteDataReader r) => new(r.GetString(0),
        r.GetString(1).Split(',', StringSplitOptions.RemoveEmptyEntries), r.GetString(2),
        r.NullableString(3) is { } job ? Guid.Parse(job) : null, r.Time(4));

    public Task<FirstBootChoice?> FindAsync(string vmId, CancellationToken ct) =>
        db.SingleAsync($"SELECT {Columns} FROM vm_first_boot WHERE vm_id = $v", Map, ("$v", vmId));

    public async Task<IReadOnlyList<FirstBootChoice>> ListAsync(IReadOnlyCollection<string>? vmIds, CancellationToken ct)
    {
        var all = await db.QueryAsync($"SELECT {Columns} FROM vm_first_boot ORDER BY vm_id", Map).ConfigureAwait(false);
        return vmIds is null ? all : all.Where(c => vmIds.Contains(c.VmId)).ToList();
    }

    public async Task<bool> SetAsync(string vmId, IReadOnlyList<string> recipes, DateTimeOffset at, CancellationToken ct) =>
        await db.ExecuteAsync(
            "INSERT INTO vm_first_boot(vm_id, recipes, state, updated) VALUES ($v, $r, 'Pending', $t) " +
            "ON CONFLICT(vm_id) DO UPDATE SET recipes = excluded.recipes, updated = excluded.updated WHERE state = 'Pending'",
            ("$v", vmId), ("$r", string.Join(',', recipes)), ("$t", at.Iso())).ConfigureAwait(false) > 0;

    public async Task<FirstBootChoice?> ClaimAsync(string vmId, DateTimeOffset at, CancellationToken ct)
    {
        var claimed = await db.ExecuteAsync("UPDATE vm_first_boot SET state = 'Started', updated = $t WHERE vm_id = $v AND state = 'Pending' AND recipes <> ''",
            ("$v", vmId), ("$t", at.Iso())).ConfigureAwait(false);
        return claimed == 1 ? await FindAsync(vmId, ct).ConfigureAwait(false) : null;
    }

    public Task RecordJobAsync(string vmId, Guid jobId, CancellationToken ct) =>
        db.ExecuteAsync("UPDATE vm_first_boot SET job_id = $j WHERE vm_id = $v", ("$v", vmId), ("$j", jobId.ToString()));

    public Task ReleaseAsync(string vmId, CancellationToken ct) =>
        db.ExecuteAsync("UPDATE vm_first_boot SET state = 'Pending' WHERE vm_id = $v AND job_id IS NULL", ("$v", vmId));
}
