namespace Agents.Contracts.Events;

/// <summary>CloudStack's async job status codes: 0 pending, 1 success, 2 failure.</summary>
public enum AsyncJobStatus { Pending = 0, Succeeded = 1, Failed = 2 }
