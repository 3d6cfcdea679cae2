using System.Diagnostics;
using Agents.Messaging.Consuming;
using Agents.Messaging.Internal;

namespace Agents.Messaging.Telemetry;

/// <summary>
/// W3C trace context on the broker: every publish carries the current trace as the AMQP headers
/// <c>traceparent</c> (and <c>tracestate</c>), and every delivery the kit consumes continues that
/// trace in a span of its own, so one command is one trace from the API request through the bridge
/// and back. A message without the headers (a plain AMQP client) starts a new trace.
/// </summary>
public static class MessagingTracing
{
    public const string SourceName = "Agents.Messaging";
    public const string TraceParentHeader = "traceparent";
    public const string TraceStateHeader = "tracestate";

    private static readonly ActivitySource Source = new(SourceName);

    internal static Activity? StartPublish(OutgoingMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        var activity = Source.StartActivity($"{message.Exchange} publish", ActivityKind.Producer);
        activity?.SetTag("messaging.system", "rabbitmq");
        activity?.SetTag("messaging.destination.name", message.Exchange);
        activity?.SetTag("messaging.rabbitmq.destination.routing_key", message.RoutingKey);
        activity?.SetTag("messaging.message.id", message.MessageId);
        return activity;
    }

    /// <summary>A span for handling <paramref name="message"/>, child of the publisher's span when the message carries one.</summary>
    public static Activity? StartProcess(IncomingMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        // without trace context (default parent) the span starts a trace of its own: consumers run outside any other span
        _ = ActivityContext.TryParse(message.Header(TraceParentHeader), message.Header(TraceStateHeader), isRemote: true, out var parent);
        var activity = Source.StartActivity($"{message.Queue} process", ActivityKind.Consumer, parent);
        activity?.SetTag("messaging.system", "rabbitmq");
        activity?.SetTag("messaging.destination.name", message.Exchange);
        activity?.SetTag("messaging.rabbitmq.destination.routing_key", message.RoutingKey);
        activity?.SetTag("messaging.message.id", message.MessageId);
        return activity;
    }

    /// <summary>The W3C <c>traceparent</c> of <paramref name="activity"/>; null when there is none or it is not W3C.</summary>
    public static string? TraceParentOf(Activity? activity) =>
        activity is { IdFormat: ActivityIdFormat.W3C } ? activity.Id : null;
}
