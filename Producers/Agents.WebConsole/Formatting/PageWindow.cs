namespace Agents.WebConsole.Formatting;

/// <summary>
/// One page of a list: which page (from 1), how many rows a page holds, how many rows match in all.
/// Out-of-range pages are brought back into range, so a stale link shows the last page, not nothing.
/// </summary>
public sealed record PageWindow(int Page, int Size, int Total)
{
    public int Pages => Math.Max(1, (Total + Size - 1) / Size);

    public bool HasPrevious => Page > 1;

    public bool HasNext => Page < Pages;

    public int First => Total == 0 ? 0 : (Page - 1) * Size + 1;

    public int Last => Math.Min(Total, Page * Size);

    /// <summary>"21–40 of 57", or "none" for an empty list.</summary>
    public string Summary => Total == 0 ? "none" : $"{First}–{Last} of {Total}";

    public static PageWindow Of(int? page, int size, int total)
    {
        if (size < 1) throw new ArgumentOutOfRangeException(nameof(size), "a page holds at least one row");
        var pages = Math.Max(1, (Math.Max(0, total) + size - 1) / size);
        return new PageWindow(Math.Clamp(page ?? 1, 1, pages), size, Math.Max(0, total));
    }

    /// <summary>The rows of this page from a list already in order.</summary>
    public IReadOnlyList<T> Slice<T>(IReadOnlyList<T> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        return rows.Skip((Page - 1) * Size).Take(Size).ToList();
    }
}
