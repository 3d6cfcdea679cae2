using System.Diagnostics;

namespace Agents.RouterBridge.Telemetry;

/// <summary>The bridge's spans (source <c>Agents.RouterBridge</c>): one per command relayed, inside the delivery's span.</summary>
public static class BridgeTracing
{
    public const string SourceName = "Agents.RouterBridge";

    public static ActivitySource Source { get; } = new(SourceName);
}
