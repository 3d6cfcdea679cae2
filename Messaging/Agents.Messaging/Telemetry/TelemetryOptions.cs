namespace Agents.Messaging.Telemetry;

/// <summary>Section <c>Telemetry</c>: where traces and metrics go besides the <c>/metrics</c> scrape endpoint.</summary>
public sealed class TelemetryOptions
{
    public const string Section = "Telemetry";

    public OtlpOptions Otlp { get; set; } = new();

    public sealed class OtlpOptions
    {
        /// <summary>
        /// The OTLP collector, e.g. <c>http://otel-collector:4317</c> (gRPC) or, with <c>OTEL_EXPORTER_OTLP_PROTOCOL=http/protobuf</c>,
        /// <c>http://otel-collector:4318</c>. Empty (the default): no OTLP export, unless the standard
        /// <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set.
        /// </summary>
        public string? Endpoint { get; set; }
    }
}
