namespace Agents.Contracts;

/// <summary>
/// The one backoff of the framework: attempt <c>n</c> (counted from 0) waits up to
/// <c>min(cap, initial·2^n)</c>. With jitter the wait is uniform in [0, that ceiling] ("full
/// jitter"): the agents use it, so that thousands of them reconnecting to a rebooted router
/// spread out. Without it the wait is the ceiling itself: a service reconnecting to the broker,
/// a consumer resuming, a publish sent again, a client polling a job. Pure logic, no reflection:
/// the NativeAOT agent links it.
/// </summary>
public sealed class Backoff
{
    private const int MaxExponent = 30;

    public Backoff(TimeSpan initial, TimeSpan cap, bool jitter = false)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(initial, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(cap, TimeSpan.Zero);
        Initial = initial;
        Cap = cap;
        Jitter = jitter;
    }

    public TimeSpan Initial { get; }

    public TimeSpan Cap { get; }

    public bool Jitter { get; }

    /// <summary>The longest wait after attempt <paramref name="attempt"/>: <c>min(cap, initial·2^attempt)</c>.</summary>
    public TimeSpan Ceiling(int attempt)
    {
        var exponent = Math.Clamp(attempt, 0, MaxExponent);
        return TimeSpan.FromTicks((long)Math.Min(Cap.Ticks, Initial.Ticks * Math.Pow(2, exponent)));
    }

    /// <summary>The wait after attempt <paramref name="attempt"/>: the ceiling, or with jitter a uniform draw below it.</summary>
    public TimeSpan Delay(int attempt, Random? random = null) =>
        Jitter ? TimeSpan.FromTicks((long)((random ?? Random.Shared).NextDouble() * Ceiling(attempt).Ticks)) : Ceiling(attempt);
}
