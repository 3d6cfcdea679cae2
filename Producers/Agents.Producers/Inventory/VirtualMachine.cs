namespace Agents.Producers.Inventory;

/// <summary>This system's small inventory: which router serves a VM and which account owns it.</summary>
public sealed record VirtualMachine(string Id, string RouterId, string Account, string? Name, DateTimeOffset Created);
