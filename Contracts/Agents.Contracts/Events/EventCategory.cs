namespace Agents.Contracts.Events;

/// <summary>CloudStack's event categories, spelled as CloudStack spells them on its event bus.</summary>
public static class EventCategory
{
    public const string ActionEvent = "ActionEvent";
    public const string AlertEvent = "AlertEvent";
    public const string ResourceStateEvent = "ResourceStateEvent";
    public const string AsyncJobEvent = "AsyncJobEvent";
}
