using Agents.Contracts.Ca;
using Microsoft.Extensions.Caching.Memory;

namespace Agents.Producers.Handlers.Certificates;

/// <summary>
/// The VMs' current certificates as the CA last gave them (GetHolderCertificate on ca.requests),
/// kept so that a password reset is sealed without a round trip to the CA per call. The CA's
/// CA.CERTIFICATE.ISSUE and CA.CERTIFICATE.REVOKE events remove the holder's entry
/// (<see cref="HolderCertificateWatcher"/>); an entry lives <see cref="Lifetime"/> at most and never
/// past its certificate's notAfter; nothing is kept while that watcher is not consuming (the API
/// starting, the broker away), and what was kept is dropped when it stops. A renewal the events
/// have not told yet is harmless: the agent keeps its previous key across one renewal. Each API
/// instance keeps its own.
/// </summary>
public sealed class HolderCertificates(CaClient ca) : IDisposable
{
    /// <summary>How long an answer of the CA is used at most, and how long the watcher's queue outlives this instance.</summary>
    public static TimeSpan Lifetime { get; } = TimeSpan.FromMinutes(5);

    /// <summary>Holders kept at most (about 1 KiB each); past it the cache compacts, dropping the oldest.</summary>
    public const int Capacity = 100_000;

    private readonly MemoryCache _known = new(new MemoryCacheOptions { SizeLimit = Capacity, CompactionPercentage = 0.1 });
    private readonly Lock _gate = new();
    private long _changes;
    private bool _listening;

    /// <summary>The holder's current certificate: kept, else asked of the CA (its refusal is an <see cref="Api.ApiException"/>, as <see cref="CaClient"/> says).</summary>
    public async Task<HolderCertificate> CurrentAsync(string holder, CancellationToken ct)
    {
        ArgumentException.ThrowIfNullOrEmpty(holder);
        if (_known.TryGetValue(holder, out HolderCertificate? known) && known is not null) return known;
        long changes;
        lock (_gate) changes = _changes;
        var current = await ca.CallAsync<HolderCertificate>(new GetHolderCertificate { Holder = holder }, ct).ConfigureAwait(false);
        var lifetime = current.NotAfter - DateTimeOffset.UtcNow;
        if (lifetime > Lifetime) lifetime = Lifetime;
        lock (_gate)
        {
            // a change heard while the CA answered may be newer than the answer: it is not kept
            if (_listening && _changes == changes && lifetime > TimeSpan.Zero && current.Holder == holder)
                _known.Set(holder, current, new MemoryCacheEntryOptions { Size = 1, AbsoluteExpirationRelativeToNow = lifetime });
        }
        return current;
    }

    /// <summary>A certificate of <paramref name="holder"/> was issued or revoked: its entry goes (every entry when the event names no holder).</summary>
    public void Forget(string? holder)
    {
        lock (_gate)
        {
            _changes++;
            if (holder is null) _known.Clear();
            else _known.Remove(holder);
        }
    }

    /// <summary>Whether the CA's certificate events reach this instance: while not, nothing is kept.</summary>
    public void Listening(bool listening)
    {
        lock (_gate)
        {
            _listening = listening;
            _changes++;
            if (!listening) _known.Clear();
        }
    }

    /// <summary>Holders kept now.</summary>
    public int Count => _known.Count;

    public void Dispose() => _known.Dispose();
}
