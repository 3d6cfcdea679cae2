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

    /// <summary>
    /// The broker's side of a stall, for a failure message: queue states (a quorum queue that did not come back
    /// shows as down or crashed), connections (blocked by a resource alarm?), channels with their unconfirmed
    /// publishes, and the alarms in force. Each probe that fails says why instead of hiding the others.
    /// </summary>
    public static async Task<string> DescribeAsync(Func<string[], Task<string>> ctl)
    {
        string[][] probes =
        [
            ["list_queues", "--no-table-headers", "name", "type", "state", "messages_ready", "messages_unacknowledged", "consumers"],
            ["list_connections", "--no-table-headers", "name", "state", "channels", "recv_oct", "send_oct"],
            ["list_channels", "--no-table-headers", "connection", "number", "confirm", "messages_unconfirmed", "messages_unacknowledged", "consumer_count"],
            ["eval", "rabbit_alarm:get_alarms()."],
        ];
        var text = new System.Text.StringBuilder();
        foreach (var probe in probes)
        {
            text.AppendLine($"--- rabbitmqctl {string.Join(' ', probe)}");
            try { text.AppendLine((await ctl(probe)).Trim()); }
            catch (Exception e) { text.AppendLine($"(failed: {e.Message})"); }
        }
        return text.ToString();
    }

    private static long Parse(string value) => long.TryParse(value.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) ? n : 0;
}
