namespace Agents.VmAgent.Core.Journal;

/// <summary>
/// How much of the past the journal keeps. A command id whose result was dropped by compaction would
/// run again if it were ever redelivered, so the defaults keep far more than any redelivery window
/// (a busy agent's last 10,000 commands); every command still running or cut short by a crash is kept.
/// </summary>
public sealed record JournalOptions
{
    /// <summary>The test hook: <c>started</c> or <c>finished</c> kills the agent (SIGKILL) right after it
    /// appends its first record of that kind and before the fsync. Never set in production.</summary>
    public const string CrashHookVariable = "AGENTS_TEST_JOURNAL_KILL_AFTER_APPEND";

    public static JournalOptions Default { get; } = new();

    /// <summary>The newest results kept through a compaction.</summary>
    public int RetainedResults { get; init; } = 10_000;

    /// <summary>At most this many bytes of those results (recipes' output can make them large).</summary>
    public long RetainedBytes { get; init; } = 8 * 1024 * 1024;

    /// <summary>The log is rewritten with only what is kept once it holds this many times the retained records or bytes.</summary>
    public int CompactionFactor { get; init; } = 3;

    /// <summary>See <see cref="CrashHookVariable"/>: "started", "finished" or null.</summary>
    public string? KillAfterAppend { get; init; }

    /// <summary>The defaults, with the crash hook if the environment sets it (the agent's process tests do).</summary>
    public static JournalOptions FromEnvironment() =>
        Environment.GetEnvironmentVariable(CrashHookVariable) is { Length: > 0 } state ? Default with { KillAfterAppend = state } : Default;

    internal void Validate()
    {
        if (RetainedResults < 1) throw new ArgumentOutOfRangeException(nameof(RetainedResults), RetainedResults, "must be at least 1");
        if (RetainedBytes < 1) throw new ArgumentOutOfRangeException(nameof(RetainedBytes), RetainedBytes, "must be at least 1");
        if (CompactionFactor < 2) throw new ArgumentOutOfRangeException(nameof(CompactionFactor), CompactionFactor, "must be at least 2");
        if (KillAfterAppend is not (null or "started" or "finished"))
            throw new ArgumentException($"{CrashHookVariable} must be 'started' or 'finished', not '{KillAfterAppend}'", nameof(KillAfterAppend));
    }
}
