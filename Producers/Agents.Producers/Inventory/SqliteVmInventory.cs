using Agents.Producers.Storage;
using Microsoft.Data.Sqlite;

namespace Agents.Producers.Inventory;

public sealed class SqliteVmInventory(Database db) : IVmInventory
{
    private const string Columns = "id, router_id, account, name, created";

    private static VirtualMachine Map(SqliteDataReader r) => new(r.GetString(0), r.GetString(1), r.GetString(2), r.NullableString(3), r.Time(4));

    public async Task<bool> RegisterAsync(VirtualMachine vm, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(vm);
        var changed = await db.ExecuteAsync(
            "INSERT INTO virtual_machines(id, router_id, account, name, created) VALUES ($id, $r, $a, $n, $t) " +
            "ON CONFLICT(id) DO UPDATE SET router_id = excluded.router_id, name = COALESCE(excluded.name, name) WHERE account = excluded.account",
            ("$id", vm.Id), ("$r", vm.RouterId), ("$a", vm.Account), ("$n", vm.Name), ("$t", vm.Created.Iso())).ConfigureAwait(false);
        return changed > 0;
    }

    public Task<VirtualMachine?> FindAsync(string id, CancellationToken ct) =>
        db.SingleAsync($"SELECT {Columns} FROM virtual_machines WHERE id = $id", Map, ("$id", id));

    public async Task<IReadOnlyList<VirtualMachine>> ListAsync(string? account, string? routerId, string? id, CancellationToken ct) =>
        await db.QueryAsync(
            $"SELECT {Columns} FROM virtual_machines WHERE ($a IS NULL OR account = $a) AND ($r IS NULL OR router_id = $r) AND ($id IS NULL OR id = $id) ORDER BY created, id",
            Map, ("$a", account), ("$r", routerId), ("$id", id)).ConfigureAwait(false);

    public async Task<IReadOnlyList<string>> RouterIdsAsync(CancellationToken ct) =>
        await db.QueryAsync("SELECT DISTINCT router_id FROM virtual_machines ORDER BY router_id", r => r.GetString(0)).ConfigureAwait(false);
}
