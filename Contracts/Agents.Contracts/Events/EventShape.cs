using System.Text.Json;

namespace Agents.Contracts.Events;

/// <summary>
/// Where each CloudStack event category keeps its type and resource, for events read off the bus.
/// A routing key turns a '.' into '-' and an empty field into '*', so the body's own fields win
/// where the category has them.
/// </summary>
internal static class EventShape
{
    public static CloudStackEvent Resolve(string source, string category, string? keyType, string? keyResourceType, string? keyResourceUuid,
        Dictionary<string, string?> fields, Dictionary<string, JsonElement> objects)
    {
        string? Field(string name) => fields.TryGetValue(name, out var v) && !string.IsNullOrEmpty(v) ? v : null;
        var dotted = keyType?.Replace('-', '.');
        var (type, resourceType, resourceUuid) = category switch
        {
            // ActionEvent: event, entityuuid (its entity is a Java class name: the key has the short resource type)
            EventCategory.ActionEvent => (Field("event") ?? dotted, keyResourceType, Field("entityuuid") ?? keyResourceUuid),
            // AlertEvent: event; CloudStack's alerts name no resource, ours add resourceType/resourceUuid
            EventCategory.AlertEvent => (Field("event") ?? dotted, Field("resourceType") ?? keyResourceType, Field("resourceUuid") ?? keyResourceUuid),
            // ResourceStateEvent: resource, id
            EventCategory.ResourceStateEvent => (dotted, Field("resource") ?? keyResourceType, Field("id") ?? keyResourceUuid),
            // AsyncJobEvent: the type is the job event (submit, update, complete); instanceType ("unknown" when none), instanceUuid
            EventCategory.AsyncJobEvent => (keyType, Field("instanceType") is { } t and not AsyncJobChanged.UnknownInstanceType ? t : null, Field("instanceUuid") ?? keyResourceUuid),
            _ => (dotted, keyResourceType, keyResourceUuid),
        };
        return new CloudStackEvent
        {
            Source = source,
            Category = category,
            Type = type ?? "",
            ResourceType = resourceType,
            ResourceUuid = resourceUuid,
            Description = fields,
            Objects = objects,
        };
    }
}
