using Agents.Consumers.Plugins;
using Agents.Audit;
using Agents.Storage.Audit;
using Agents.Consumers.Bus;
using Agents.Consumers.Telemetry;
using MassTransit;
using Microsoft.Extensions.Logging;

namespace Agents.Consumers.Audit;

/// <summary>Appends every event to the audit log; MassTransit acknowledges once the row is committed. A redelivery finds its row and changes nothing.</summary>
public sealed class AuditConsumer(IAuditStore store, ConsumersMetrics metrics, ILogger<AuditConsumer> logger) : IConsumer<CloudStackEventMessage>
{
    public async Task Consume(ConsumeContext<CloudStackEventMessage> context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var record = context.ToEventDelivery().AuditRecord;
        var added = await store.AppendAsync(record, context.CancellationToken).ConfigureAwait(false);
        if (added) metrics.Audited(record.Category);
        if (added)
            logger.LogDebug("Audited {EventId} {Type} on {ResourceType} {ResourceId}", record.EventId, record.Type, record.ResourceType, record.ResourceId);
        else
            logger.LogDebug("Event {EventId} already audited", record.EventId);
    }
}
