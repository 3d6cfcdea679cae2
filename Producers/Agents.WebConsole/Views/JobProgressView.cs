namespace Agents.WebConsole.Views;

/// <summary>A fan-out job's progress: targets done of all, and how many are in each status (in a fixed order).</summary>
public sealed record JobProgressView(string JobId, int Total, int Done, bool Running, IReadOnlyList<KeyValuePair<string, int>> Counts)
{
    private static readonly string[] Order = ["Pending", "InProgress", "Success", "Failed", "Rejected", "DeliveryTimedOut", "ExecutionTimedOut", "Cancelled"];

    public int Percent => Total == 0 ? 0 : Done * 100 / Total;

    public static JobProgressView Of(string jobId, IReadOnlyList<TargetView> targets, int? total, bool running)
    {
        ArgumentNullException.ThrowIfNull(targets);
        var counts = targets.GroupBy(t => t.Status).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        var ordered = Order.Where(counts.ContainsKey).Select(s => new KeyValuePair<string, int>(s, counts[s]))
            .Concat(counts.Where(c => !Order.Contains(c.Key)).OrderBy(c => c.Key, StringComparer.Ordinal))
            .ToList();
        return new JobProgressView(jobId, Math.Max(total ?? 0, targets.Count), targets.Count(t => t.IsFinal), running, ordered);
    }
}
