using System.Text.Json;
using System.Text.Json.Serialization;

namespace Agents.Consumers.Plugins;

/// <summary>
/// The MassTransit message type of every raw CloudStack event body. The consumers read the body
/// bytes and the routing key from the receive context (<see cref="EventContext.ReadEvent"/>);
/// this type only lets MassTransit's raw JSON deserializer hand the delivery to them.
/// </summary>
public sealed record CloudStackEventMessage
{
    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Fields { get; init; }
}
