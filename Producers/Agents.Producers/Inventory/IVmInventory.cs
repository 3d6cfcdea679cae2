namespace Agents.Producers.Inventory;

/// <summary>This system's small inventory: which router serves a VM and which account owns it.</summary>
public interface IVmInventory
{
    /// <summary>Adds the VM or updates its router/name; false when it exists under another account (nothing changed).</summary>
    Task<bool> RegisterAsync(VirtualMachine vm, CancellationToken ct);

    Task<VirtualMachine?> FindAsync(string id, CancellationToken ct);

    /// <summary>Filters are optional; null matches everything.</summary>
    Task<IReadOnlyList<VirtualMachine>> ListAsync(string? account, string? routerId, string? id, CancellationToken ct);

    Task<IReadOnlyList<string>> RouterIdsAsync(CancellationToken ct);
}
