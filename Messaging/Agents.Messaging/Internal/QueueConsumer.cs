using System.Diagnostics;
using Agents.Contracts;
using Agents.Messaging.Consuming;
using Agents.Messaging.Telemetry;
using Microsoft.Extensions.Logging;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;

namespace Agents.Messaging.Internal;

/// <summary>
/// Consumes one queue with manual acks and a bounded prefetch, and keeps consuming: a lost
/// channel or connection is rebuilt, and a handler's exception becomes a nack, never a dead
/// consumer. A message that cannot be read (<see cref="InvalidMessageException"/>, or an event
/// lacking a field it must have, <see cref="Contracts.Events.InvalidEventException"/>) is
/// dead-lettered at once: unreadable now means unreadable on every redelivery. Any other failure
/// is delivered again until the queue's delivery-limit.
/// </summary>
internal sealed class QueueConsumer(
    BrokerConnection connection,
    string queue,
    IMessageHandler handler,
    ILogger<QueueConsumer> logger,
    QueueDeclaration? declaration = null)
{
    private static readonly Backoff Resume = new(TimeSpan.FromMilliseconds(250), TimeSpan.FromSeconds(5));

    /// <summary>Set once the consumer is registered on the broker; reset while it recovers.</summary>
    public bool IsConsuming { get; private set; }

    public async Task RunAsync(CancellationToken ct)
    {
        var failures = 0;
        while (!ct.IsCancellationRequested)
        {
            try
            {
                await ConsumeUntilChannelClosesAsync(ct).ConfigureAwait(false);
                failures = 0;
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                logger.LogWarning("Consumer of {Queue} stopped ({Error}); resuming in {Delay}", queue, e.Message, Resume.Delay(failures));
            }
            Consuming(false);
            try { await Task.Delay(Resume.Delay(failures++), ct).ConfigureAwait(false); }
            catch (OperationCanceledException) { return; }
        }
    }

    private void Consuming(bool consuming)
    {
        IsConsuming = consuming;
        (handler as IConsumingObserver)?.ConsumingChanged(consuming);
    }

    private async Task ConsumeUntilChannelClosesAsync(CancellationToken ct)
    {
        var conn = await connection.GetAsync(ct).ConfigureAwait(false);
        var prefetch = connection.Options.PrefetchCount;
        await using var channel = await conn.CreateChannelAsync(
            new CreateChannelOptions(false, false, null, consumerDispatchConcurrency: prefetch), ct).ConfigureAwait(false);
        await channel.BasicQosAsync(0, prefetch, false, ct).ConfigureAwait(false);
        // declared on every (re)connect: the queue may be new, or gone with its x-expires
        if (declaration is not null) await declaration.DeclareAsync(channel, ct).ConfigureAwait(false);

        var closed = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        channel.ChannelShutdownAsync += (_, args) =>
        {
            closed.TrySetResult(args.ReplyText);
            return Task.CompletedTask;
        };
        var consumer = new AsyncEventingBasicConsumer(channel);
        consumer.ReceivedAsync += (_, delivery) => DispatchAsync(channel, delivery, ct);
        var tag = await channel.BasicConsumeAsync(queue, autoAck: false, consumer, ct).ConfigureAwait(false);
        Consuming(true);
        logger.LogInformation("Consuming {Queue} (prefetch {Prefetch}, tag {ConsumerTag})", queue, prefetch, tag);

        var reason = await closed.Task.WaitAsync(ct).ConfigureAwait(false);
        throw new IOException($"channel closed: {reason}");
    }

    private async Task DispatchAsync(IChannel channel, BasicDeliverEventArgs delivery, CancellationToken ct)
    {
        var message = ToMessage(delivery);
        // the publisher's trace goes on here: the handler's log lines and publishes belong to it
        using var activity = MessagingTracing.StartProcess(message);
        using var scope = logger.BeginScope(new Dictionary<string, object?>
        {
            ["MessageId"] = message.MessageId,
            ["CorrelationId"] = message.CorrelationId,
            ["Queue"] = queue,
        });
        Disposition disposition;
        try
        {
            disposition = await handler.HandleAsync(message, ct).ConfigureAwait(false);
        }
        catch (Exception e) when (e is InvalidMessageException or Contracts.Events.InvalidEventException)
        {
            logger.LogError("Dead-lettering {MessageId} from {Queue}: {Reason}", message.MessageId, queue, e.Message);
            disposition = Disposition.Reject;
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            disposition = Disposition.Retry;
        }
        catch (Exception e)
        {
            logger.LogError(e, "Handler failed on {MessageId} from {Queue} (delivery {DeliveryCount}); it will be delivered again",
                message.MessageId, queue, message.DeliveryCount + 1);
            disposition = Disposition.Retry;
        }

        MessagingMetrics.Shared.Delivered(queue, disposition);
        if (disposition != Disposition.Ack) activity?.SetStatus(ActivityStatusCode.Error, disposition.ToString());
        try
        {
            switch (disposition)
            {
                case Disposition.Ack:
                    await channel.BasicAckAsync(delivery.DeliveryTag, false, CancellationToken.None).ConfigureAwait(false);
                    break;
                case Disposition.Retry:
                    await channel.BasicNackAsync(delivery.DeliveryTag, false, requeue: true, CancellationToken.None).ConfigureAwait(false);
                    break;
                default:
                    await channel.BasicNackAsync(delivery.DeliveryTag, false, requeue: false, CancellationToken.None).ConfigureAwait(false);
                    break;
            }
        }
        catch (Exception e)
        {
            // The channel is gone: the broker requeues the unacked delivery by itself.
            logger.LogWarning("Could not settle {MessageId} on {Queue}: {Error}", message.MessageId, queue, e.Message);
        }
    }

    private IncomingMessage ToMessage(BasicDeliverEventArgs delivery)
    {
        var properties = delivery.BasicProperties;
        var headers = properties.Headers is null
            ? new Dictionary<string, object?>()
            : new Dictionary<string, object?>(properties.Headers);
        long deliveryCount = headers.TryGetValue("x-delivery-count", out var count) && count is not null ? Convert.ToInt64(count, System.Globalization.CultureInfo.InvariantCulture) : 0;
        return new IncomingMessage
        {
            Queue = queue,
            Exchange = delivery.Exchange,
            RoutingKey = delivery.RoutingKey,
            Body = delivery.Body.ToArray(),
            MessageId = properties.MessageId,
            CorrelationId = properties.CorrelationId,
            Type = properties.Type,
            ReplyTo = properties.ReplyTo,
            UserId = properties.UserId,
            Redelivered = delivery.Redelivered,
            DeliveryCount = deliveryCount,
            Headers = headers,
        };
    }
}
