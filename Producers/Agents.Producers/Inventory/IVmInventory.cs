namespace Agents.Producers.Inventory;

/// <summary>This system's small inventory: which router serves a VM and which account owns it; user VMs and system VMs (SSVM, CPVM).</summary>
public interface IVmInventory
{
    /// <summary>Adds the VM or updates its router/name; false when it exists under another account or as the other kind (user or system VM): nothing changed.</summary>
    Task<bool> RegisterAsync(VirtualMachine vm, CancellationToken ct);

    /// <summary>A user VM or a system VM.</summary>
    Task<VirtualMachine?> FindAsync(string id, CancellationToken ct);

    /// <summary>User VMs only; filters are optional, null matches everything.</summary>
    Task<IReadOnlyList<VirtualMachine>> ListAsync(string? account, string? routerId, string? id, CancellationToken ct);

    /// <summary>System VMs only (listSystemVms); filters are optional, null matches everything.</summary>
    Task<IReadOnlyList<VirtualMachine>> ListSystemVmsAsync(string? systemVmType, string? id, CancellationToken ct);

    Task<IReadOnlyList<string>> RouterIdsAsync(CancellationToken ct);
}
