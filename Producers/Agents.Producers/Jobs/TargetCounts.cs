namespace Agents.Producers.Jobs;

/// <summary>
/// How many of a job's targets are in each status, as the database counts them: what the pump decides
/// by (the error budget, the free slots, the end) without reading every target of a large fan-out.
/// </summary>
public sealed class TargetCounts(IReadOnlyDictionary<TargetStatus, int> byStatus)
{
    public int Of(TargetStatus status) => byStatus.GetValueOrDefault(status);

    public int Total => byStatus.Values.Sum();

    public int Failures => byStatus.Where(s => JobTarget.IsFailureStatus(s.Key)).Sum(s => s.Value);

    public int InFlight => byStatus.Where(s => JobTarget.IsInFlightStatus(s.Key)).Sum(s => s.Value);

    public bool AllPending => Total == Of(TargetStatus.Pending);

    public bool AllTerminal => byStatus.All(s => s.Value == 0 || JobTarget.IsTerminalStatus(s.Key));
}
