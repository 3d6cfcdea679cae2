using System.Data.Common;
using Agents.Storage;

namespace Agents.Producers.FirstBoot;

/// <summary>The first-boot choices in the API's store, on SQLite or MariaDB.</summary>
public sealed class SqlFirstBootStore(Database db) : IFirstBootStore
{
    private const string Columns = "vm_id, recipes, state, job_id, updated";

    private static FirstBootChoice Map(DbDataReader r) => new(r.GetString(0),
        r.GetString(1).Split(',', StringSplitOptions.RemoveEmptyEntries), r.GetString(2),
        r.NullableString(3) is { } job ? Guid.Parse(job) : null, r.Time(4));

    public Task<FirstBootChoice?> FindAsync(string vmId, CancellationToken ct) =>
        db.SingleAsync($"SELECT {Columns} FROM vm_first_boot WHERE vm_id = @v", Map, ("@v", vmId));

    public async Task<IReadOnlyList<FirstBootChoice>> ListAsync(IReadOnlyCollection<string>? vmIds, CancellationToken ct)
    {
        var all = await db.QueryAsync($"SELECT {Columns} FROM vm_first_boot ORDER BY vm_id", Map).ConfigureAwait(false);
        return vmIds is null ? all : all.Where(c => vmIds.Contains(c.VmId)).ToList();
    }

    /// <summary>Chooses (or changes) a VM's recipes while they have not started; false once they have.</summary>
    public async Task<bool> SetAsync(string vmId, IReadOnlyList<string> recipes, DateTimeOffset at, CancellationToken ct)
    {
        var recipeList = string.Join(',', recipes);
        // a conditional upsert in the SQL both engines share: change a pending row, else add one
        if (await db.ExecuteAsync("UPDATE vm_first_boot SET recipes = @r, updated = @t WHERE vm_id = @v AND state = 'Pending'",
                ("@v", vmId), ("@r", recipeList), ("@t", at.Iso())).ConfigureAwait(false) > 0)
            return true;
        try
        {
            return await db.ExecuteAsync("INSERT INTO vm_first_boot(vm_id, recipes, state, updated) VALUES (@v, @r, 'Pending', @t)",
                ("@v", vmId), ("@r", recipeList), ("@t", at.Iso())).ConfigureAwait(false) > 0;
        }
        catch (DbException e) when (SqlDialect.IsDuplicateKey(e))
        {
            // the row exists and is no longer pending: its recipes have started
            return false;
        }
    }

    public async Task<FirstBootChoice?> ClaimAsync(string vmId, DateTimeOffset at, CancellationToken ct)
    {
        var claimed = await db.ExecuteAsync("UPDATE vm_first_boot SET state = 'Started', updated = @t WHERE vm_id = @v AND state = 'Pending' AND recipes <> ''",
            ("@v", vmId), ("@t", at.Iso())).ConfigureAwait(false);
        return claimed == 1 ? await FindAsync(vmId, ct).ConfigureAwait(false) : null;
    }

    public Task RecordJobAsync(string vmId, Guid jobId, CancellationToken ct) =>
        db.ExecuteAsync("UPDATE vm_first_boot SET job_id = @j WHERE vm_id = @v", ("@v", vmId), ("@j", jobId.ToString()));

    public Task ReleaseAsync(string vmId, CancellationToken ct) =>
        db.ExecuteAsync("UPDATE vm_first_boot SET state = 'Pending' WHERE vm_id = @v AND job_id IS NULL", ("@v", vmId));
}
