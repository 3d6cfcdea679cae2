using System.Text;
using Agents.Contracts;
using Agents.Contracts.Events;
using RabbitMQ.Client;

namespace Agents.ReliabilityTests.Support;

/// <summary>Publishes exactly the bytes a test gives, as any AMQP client could, with publisher confirms.</summary>
public sealed class RawBus(IChannel channel)
{
    public static async Task<RawBus> OpenAsync(IConnection connection) =>
        new(await connection.CreateChannelAsync(new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true)));

    public IChannel Channel => channel;

    /// <summary>Straight into <paramref name="queue"/> through the default exchange.</summary>
    public ValueTask ToQueueAsync(string queue, PoisonCase poison, string? type = null, string? replyTo = null, string? userId = null) =>
        channel.BasicPublishAsync("", queue, true, Properties(poison.Id, type, replyTo, userId), poison.Body);

    public ValueTask EventAsync(CloudStackEvent e, string messageId) =>
        channel.BasicPublishAsync(Topology.EventsExchange, e.RoutingKey, false, Properties(messageId, null, null, null), e.ToUtf8());

    private static BasicProperties Properties(string id, string? type, string? replyTo, string? userId) => new()
    {
        MessageId = id, CorrelationId = id, Persistent = true, ContentType = "application/json", Type = type, ReplyTo = replyTo, UserId = userId,
    };

    /// <summary>Takes the messages of <paramref name="queue"/> whose message-id is in <paramref name="ids"/>; others are put back.</summary>
    public async Task<List<(string Id, string? Type, string Body)>> TakeAsync(string queue, IReadOnlySet<string> ids, bool byCorrelation = false)
    {
        var found = new List<(string, string?, string)>();
        var others = new List<ulong>();
        while (await channel.BasicGetAsync(queue, autoAck: false) is { } got)
        {
            var id = (byCorrelation ? got.BasicProperties.CorrelationId : got.BasicProperties.MessageId) ?? "";
            if (!ids.Contains(id)) { others.Add(got.DeliveryTag); continue; }
            found.Add((id, got.BasicProperties.Type, Encoding.UTF8.GetString(got.Body.Span)));
            await channel.BasicAckAsync(got.DeliveryTag, false);
        }
        foreach (var tag in others) await channel.BasicNackAsync(tag, false, requeue: true);
        return found;
    }
}
