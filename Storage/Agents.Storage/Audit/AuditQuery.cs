namespace Agents.Storage.Audit;

/// <summary>
/// Filters of CloudStack's listEvents: every one optional, all of them combined with AND.
/// Pages count from 1; results come newest first.
/// </summary>
public sealed record AuditQuery
{
    public const int MaxPageSize = 10_000;

    public string? EventId { get; init; }
    /// <summary>Exact event type, case-insensitive (VM.RESETPASSWORD).</summary>
    public string? Type { get; init; }
    /// <summary>INFO, WARN or ERROR, case-insensitive.</summary>
    public string? Level { get; init; }
    public string? Category { get; init; }
    /// <summary>Inclusive lower bound on <see cref="AuditRecord.OccurredAt"/>.</summary>
    public DateTimeOffset? StartDate { get; init; }
    /// <summary>Inclusive upper bound on <see cref="AuditRecord.OccurredAt"/>.</summary>
    public DateTimeOffset? EndDate { get; init; }
    public string? ResourceType { get; init; }
    public string? ResourceId { get; init; }
    /// <summary>Substring of the description or the type, case-insensitive.</summary>
    public string? Keyword { get; init; }
    public int Page { get; init; } = 1;
    public int PageSize { get; init; } = 500;

    /// <summary>Throws <see cref="ArgumentException"/> naming the bad filter.</summary>
    public void Validate()
    {
        if (Page < 1) throw new ArgumentException($"page must be 1 or more (was {Page})", nameof(Page));
        if (PageSize is < 1 or > MaxPageSize) throw new ArgumentException($"pagesize must be between 1 and {MaxPageSize} (was {PageSize})", nameof(PageSize));
        if (StartDate is { } s && EndDate is { } e && s > e) throw new ArgumentException("startdate is after enddate", nameof(StartDate));
        if (Level is not null && Level.ToUpperInvariant() is not (AuditLevel.Info or AuditLevel.Warn or AuditLevel.Error))
            throw new ArgumentException($"level must be INFO, WARN or ERROR (was '{Level}')", nameof(Level));
    }
}

/// <summary>One page of a query, and how many records match in all (CloudStack's <c>count</c>).</summary>
public sealed record AuditPage(IReadOnlyList<AuditRecord> Items, long TotalCount);
