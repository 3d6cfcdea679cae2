namespace Agents.Testing;

/// <summary>How a <see cref="ServiceProcess"/> starts and where its output goes.</summary>
public sealed record ServiceProcessOptions
{
    /// <summary>Variables set in the child's environment (settings as <c>Section__Key</c>: they do not show in <c>ps</c>, as flags do).</summary>
    public IReadOnlyDictionary<string, string> Environment { get; init; } = new Dictionary<string, string>();

    /// <summary>Variables of this process's environment the child must not inherit (a token the test runner happens to hold).</summary>
    public IReadOnlyList<string> Unset { get; init; } = [];

    /// <summary>The child's working directory; the program's own folder for .NET services, this process's otherwise.</summary>
    public string? WorkingDirectory { get; init; }

    /// <summary>Every line of output is appended to this file as well (the demo's logs folder).</summary>
    public string? LogFile { get; init; }

    /// <summary>
    /// The child writes its output straight into <see cref="LogFile"/> instead of through a pipe to this
    /// process: for a service that logs a line per message under load (the bench's bridge), whose pipe
    /// a busy test process might not drain fast enough, stalling the service it measures.
    /// </summary>
    public bool OutputToLogFileOnly { get; init; }
}
