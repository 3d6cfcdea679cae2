using System.Text;
using Agents.Contracts;
using RabbitMQ.Client;

namespace Agents.ReliabilityTests.Support;

/// <summary>A message parked in agents.dead, with the reason the broker gives in its x-death header.</summary>
public sealed record DeadLetter(string MessageId, string Reason, string Queue);

public static class DeadLetters
{
    /// <summary>Takes the messages in agents.dead whose ids are in <paramref name="ids"/> (others are left alone).</summary>
    public static async Task<List<DeadLetter>> TakeAsync(IChannel channel, IReadOnlySet<string> ids)
    {
        var found = new List<DeadLetter>();
        var others = new List<ulong>();
        while (await channel.BasicGetAsync(Topology.DeadLetterQueue, autoAck: false) is { } got)
        {
            var id = got.BasicProperties.MessageId ?? "";
            if (!ids.Contains(id))
            {
                others.Add(got.DeliveryTag);
                continue;
            }
            var (reason, queue) = XDeath(got.BasicProperties.Headers);
            found.Add(new DeadLetter(id, reason, queue));
            await channel.BasicAckAsync(got.DeliveryTag, false);
        }
        foreach (var tag in others) await channel.BasicNackAsync(tag, false, requeue: true);
        return found;
    }

    private static (string Reason, string Queue) XDeath(IDictionary<string, object?>? headers)
    {
        if (headers is null || !headers.TryGetValue("x-death", out var value) || value is not IList<object> deaths || deaths.Count == 0
            || deaths[0] is not IDictionary<string, object?> first)
            return ("(no x-death)", "");
        return (Text(first.TryGetValue("reason", out var r) ? r : null), Text(first.TryGetValue("queue", out var q) ? q : null));
    }

    private static string Text(object? value) => value is byte[] bytes ? Encoding.UTF8.GetString(bytes) : value?.ToString() ?? "";
}
