namespace Agents.Storage.Copying;

/// <summary>How <see cref="StoreCopier"/> copies: rows per INSERT, and whether a target with rows is replaced.</summary>
public sealed record StoreCopyOptions
{
    public const int DefaultBatchSize = 500;

    public int BatchSize { get; init; } = DefaultBatchSize;

    /// <summary>Replace the rows a target already has (without it, a non-empty target is refused).</summary>
    public bool Force { get; init; }
}

/// <summary>One table copied: its name and the rows written.</summary>
public sealed record TableCopied(string Table, long Rows);

/// <summary>A copy refused or impossible, with a message for the operator (never a connection string).</summary>
public sealed class StoreCopyException(string message) : Exception(message);
