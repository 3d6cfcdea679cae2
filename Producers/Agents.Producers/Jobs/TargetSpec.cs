namespace Agents.Producers.Jobs;

/// <summary>One target of a new job: a command type and its payload record (ResetVmPassword ...) for a VM's agent or (VmId null) a router.</summary>
public sealed record TargetSpec(string RouterId, string? VmId, string CommandType, object Payload);
