namespace Agents.Cli.Cli;

/// <summary>The global options of one invocation.</summary>
public sealed record CliSettings(
    string? Url,
    string? ApiKey,
    string? SecretKey,
    string? StackFile,
    bool Json,
    IReadOnlyList<string>? Columns,
    bool NoWait,
    TimeSpan JobTimeout,
    TimeSpan PollInterval);
