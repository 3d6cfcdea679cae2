namespace Agents.Contracts.Events;

/// <summary>The <c>status</c> of a CloudStack ActionEvent (com.cloud.event.Event.State). Ours are always Completed: they report what happened.</summary>
public static class ActionEventStatus
{
    public const string Created = "Created";
    public const string Scheduled = "Scheduled";
    public const string Started = "Started";
    public const string Completed = "Completed";
}
