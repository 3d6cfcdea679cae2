using System.Data.Common;
using Agents.Storage;

namespace Agents.Producers.Inventory;

public sealed class SqlVmInventory(Database db) : IVmInventory
{
    private const string Columns = "id, router_id, account, name, created, system_vm_type";

    private static VirtualMachine Map(DbDataReader r) => new(r.GetString(0), r.GetString(1), r.GetString(2), r.NullableString(3), r.Time(4), r.NullableString(5));

    /// <summary>
    /// Adds the VM, or moves it to another router / renames it when the caller's account owns it and
    /// it stays the same kind (a user VM, or a system VM of the same type); false otherwise.
    /// </summary>
    public Task<bool> RegisterAsync(VirtualMachine vm, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(vm);
        return db.InTransactionAsync(async tx =>
        {
            var added = await tx.ExecuteAsync($"{db.Dialect.InsertIgnore} INTO virtual_machines({Columns}) VALUES (@id, @r, @a, @n, @t, @s)",
                ("@id", vm.Id), ("@r", vm.RouterId), ("@a", vm.Account), ("@n", vm.Name), ("@t", vm.Created.Iso()), ("@s", vm.SystemVmType)).ConfigureAwait(false);
            if (added > 0) return true;
            return await tx.ExecuteAsync(
                "UPDATE virtual_machines SET router_id = @r, name = COALESCE(@n, name) WHERE id = @id AND account = @a AND COALESCE(system_vm_type, '') = @k",
                ("@id", vm.Id), ("@r", vm.RouterId), ("@a", vm.Account), ("@n", vm.Name), ("@k", vm.SystemVmType ?? "")).ConfigureAwait(false) > 0;
        }, ct);
    }

    public Task<VirtualMachine?> FindAsync(string id, CancellationToken ct) =>
        db.SingleAsync($"SELECT {Columns} FROM virtual_machines WHERE id = @id", Map, ("@id", id));

    public async Task<IReadOnlyList<VirtualMachine>> ListAsync(string? account, string? routerId, string? id, CancellationToken ct) =>
        await db.QueryAsync(
            $"SELECT {Columns} FROM virtual_machines WHERE system_vm_type IS NULL AND (@a IS NULL OR account = @a) AND (@r IS NULL OR router_id = @r) AND (@id IS NULL OR id = @id) ORDER BY created, id",
            Map, ("@a", account), ("@r", routerId), ("@id", id)).ConfigureAwait(false);

    public async Task<IReadOnlyList<VirtualMachine>> ListSystemVmsAsync(string? systemVmType, string? id, CancellationToken ct) =>
        await db.QueryAsync(
            $"SELECT {Columns} FROM virtual_machines WHERE system_vm_type IS NOT NULL AND (@s IS NULL OR system_vm_type = @s) AND (@id IS NULL OR id = @id) ORDER BY created, id",
            Map, ("@s", systemVmType), ("@id", id)).ConfigureAwait(false);

    public async Task<IReadOnlyList<string>> RouterIdsAsync(CancellationToken ct) =>
        await db.QueryAsync("SELECT DISTINCT router_id FROM virtual_machines ORDER BY router_id", r => r.GetString(0)).ConfigureAwait(false);
}
