using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Agents.VmAgent.Core.Handlers;

internal static class PayloadReader
{
    public static T Read<T>(JsonElement payload, JsonTypeInfo<T> type)
    {
        try
        {
            return payload.Deserialize(type) ?? throw new CommandRejectedException($"empty {typeof(T).Name}");
        }
        catch (JsonException e)
        {
            throw new CommandRejectedException($"invalid {typeof(T).Name}: {e.Message}", e);
        }
    }
}
