namespace Agents.Producers.Client;

/// <summary>CloudStack's <c>jobstatus</c>: 0 pending, 1 succeeded, 2 failed.</summary>
public enum AsyncJobStatus
{
    Pending = 0,
    Succeeded = 1,
    Failed = 2,
}
