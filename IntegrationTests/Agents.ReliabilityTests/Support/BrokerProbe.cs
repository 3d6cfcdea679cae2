using System.Globalization;

namespace Agents.ReliabilityTests.Support;

/// <summary>What a queue holds, in the broker's own words (rabbitmqctl list_queues), not the client's.</summary>
public sealed record QueueState(string Name, long Ready, long Unacked, string Type, string Policy);

public static class BrokerProbe
{
    public static async Task<QueueState> QueueAsync(Func<string[], Task<string>> ctl, string queue)
    {
        var output = await ctl(["list_queues", "--quiet", "--no-table-headers", "name", "messages_ready", "messages_unacknowledged", "type", "policy"]);
        foreach (var line in output.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var parts = line.Split('\t');
            if (parts.Length >= 4 && parts[0] == queue)
                return new QueueState(queue, Parse(parts[1]), Parse(parts[2]), parts[3], parts.Length > 4 ? parts[4].Trim() : "");
        }
        throw new InvalidOperationException($"the broker does not know queue {queue}:\n{output}");
    }

    private static long Parse(string value) => long.TryParse(value.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) ? n : 0;
}
