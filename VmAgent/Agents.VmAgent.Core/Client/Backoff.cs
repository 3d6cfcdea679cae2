namespace Agents.VmAgent.Core.Client;

/// <summary>
/// Exponential backoff with full jitter (a uniform delay in [0, min(cap, base·2^attempt)]), capped
/// at 60 s by default: thousands of agents of a rebooted router spread out, and none waits hours.
/// </summary>
public static class Backoff
{
    public static TimeSpan FullJitter(int attempt, TimeSpan initial, TimeSpan cap)
    {
        var exponent = Math.Clamp(attempt, 0, 30);
        var ceiling = Math.Min(cap.TotalMilliseconds, initial.TotalMilliseconds * Math.Pow(2, exponent));
        return TimeSpan.FromMilliseconds(Random.Shared.NextDouble() * ceiling);
    }
}
