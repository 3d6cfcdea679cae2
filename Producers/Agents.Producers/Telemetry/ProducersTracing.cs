using System.Diagnostics;

namespace Agents.Producers.Telemetry;

/// <summary>The API's spans (source <c>Agents.Producers</c>): a command's outcome applied to its job, inside the outcome delivery's span.</summary>
public static class ProducersTracing
{
    public const string SourceName = "Agents.Producers";

    public static ActivitySource Source { get; } = new(SourceName);
}
