namespace Agents.Producers.Inventory;

/// <summary>
/// This system's small inventory: which router (bridge) serves a VM's agent and which account owns
/// it. A system VM (<see cref="SystemVmType"/> set) belongs to CloudStack's system account.
/// </summary>
public sealed record VirtualMachine(string Id, string RouterId, string Account, string? Name, DateTimeOffset Created, string? SystemVmType = null)
{
    public bool IsSystemVm => SystemVmType is not null;
}
