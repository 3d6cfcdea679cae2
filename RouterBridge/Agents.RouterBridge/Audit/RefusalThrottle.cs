namespace Agents.RouterBridge.Audit;

/// <summary>
/// Keeps a flood of refused connections from becoming a flood of events: per claimant, the first
/// refusal goes out at once; the ones within the next <c>interval</c> are counted and go out as one
/// (the latest, with the count) when the interval has passed, at the next <see cref="Offer"/> or
/// <see cref="Flush"/>. Nothing is dropped silently: beyond <c>maxClaimants</c> claimants the
/// newcomers share one overflow entry. Not thread-safe: the caller holds a lock.
/// </summary>
public sealed class RefusalThrottle<T>(TimeSpan interval, int maxClaimants = 10_000)
{
    public const string OverflowKey = "(too many claimants)";

    private readonly Dictionary<string, Entry> _claimants = new(StringComparer.Ordinal);

    public int Claimants => _claimants.Count;

    /// <summary>What must go out now for this refusal: itself (count 1), itself with the repeats folded in, or nothing (counted).</summary>
    public (T Item, int Repeated)? Offer(string key, T item, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (!_claimants.TryGetValue(key, out var entry))
        {
            if (_claimants.Count >= maxClaimants && key != OverflowKey) return Offer(OverflowKey, item, now);
            _claimants[key] = new Entry { LastSent = now };
            return (item, 1);
        }
        if (now - entry.LastSent < interval)
        {
            entry.Pending++;
            entry.Latest = item;
            return null;
        }
        var repeated = entry.Pending + 1;
        entry.Pending = 0;
        entry.Latest = default;
        entry.LastSent = now;
        return (item, repeated);
    }

    /// <summary>The folded repeats whose interval has passed; forgets claimants quiet for a whole interval.</summary>
    public IReadOnlyList<(T Item, int Repeated)> Flush(DateTimeOffset now)
    {
        var due = new List<(T, int)>();
        foreach (var (key, entry) in _claimants.ToList())
        {
            if (now - entry.LastSent < interval) continue;
            if (entry.Pending == 0)
            {
                _claimants.Remove(key);
                continue;
            }
            due.Add((entry.Latest!, entry.Pending));
            entry.Pending = 0;
            entry.Latest = default;
            entry.LastSent = now;
        }
        return due;
    }

    private sealed class Entry
    {
        public DateTimeOffset LastSent { get; set; }
        public int Pending { get; set; }
        public T? Latest { get; set; }
    }
}
