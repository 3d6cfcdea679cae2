namespace Agents.Producers.Api;

/// <summary>
/// A list command's page, by CloudStack's BaseListCmd rules: <c>page</c> and <c>pagesize</c> go
/// together (431 otherwise), <c>pagesize=-1</c> lists everything (without <c>page</c>), no paging
/// means the first <see cref="DefaultPageSize"/> rows. <c>count</c> is always the number of matching
/// rows, whatever the page.
/// </summary>
public sealed record ApiPage(int Page, int? PageSize, string? Keyword)
{
    /// <summary>CloudStack's default.page.size.</summary>
    public const int DefaultPageSize = 500;

    public static ApiPage All { get; } = new(1, null, null);

    public int Skip => PageSize is { } size ? (Page - 1) * size : 0;

    /// <summary>One page of rows already in a stable order.</summary>
    public IReadOnlyList<T> Of<T>(IReadOnlyList<T> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        return PageSize is { } size ? rows.Skip(Skip).Take(size).ToList() : rows;
    }

    /// <summary>Does any of a row's texts contain the keyword (case-insensitive)? True without a keyword.</summary>
    public bool Matches(params string?[] texts) =>
        Keyword is null || texts.Any(t => t is not null && t.Contains(Keyword, StringComparison.OrdinalIgnoreCase));
}
