using Agents.Contracts;

namespace Agents.Producers.Client;

/// <summary>
/// How <see cref="CloudStackClient.WaitForJobAsync"/> polls <c>queryAsyncJobResult</c>: first after
/// <see cref="FirstPoll"/>, each wait then twice the last up to <see cref="MaxPoll"/> (a short job is
/// seen at once, a long one costs few requests); <see cref="Progress"/> sees every answer.
/// </summary>
public sealed record JobWaitOptions
{
    public TimeSpan Timeout { get; init; } = TimeSpan.FromMinutes(10);

    public TimeSpan FirstPoll { get; init; } = TimeSpan.FromMilliseconds(100);

    public TimeSpan MaxPoll { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>Called with every answer, the final one included.</summary>
    public Action<AsyncJob>? Progress { get; init; }

    /// <summary>The same polling at a fixed interval (benchmarks time a job to within that interval).</summary>
    public static JobWaitOptions Every(TimeSpan interval, TimeSpan timeout) => new() { FirstPoll = interval, MaxPoll = interval, Timeout = timeout };

    /// <summary>The waits between polls: the framework's one <see cref="Backoff"/>, without jitter.</summary>
    internal Backoff Polls() => new(FirstPoll, MaxPoll);
}
