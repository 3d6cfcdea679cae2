using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using Agents.Contracts;

namespace Agents.Producers.Sessions;

/// <summary>
/// Slows password guessing: after <see cref="SessionOptions.FreeLoginFailures"/> failed logins of
/// one user name, or from one address, each further attempt waits 1, 2, 4 … seconds (up to
/// <see cref="SessionOptions.MaxLoginDelaySeconds"/>) before it is checked. A success clears the
/// user name's count; counts are forgotten 15 minutes after the last failure.
/// </summary>
public sealed class LoginThrottle(IOptions<ProducersOptions> options, TimeProvider time)
{
    private static readonly TimeSpan Memory = TimeSpan.FromMinutes(15);
    private readonly ConcurrentDictionary<string, (int Failures, DateTimeOffset Last)> _failures = new(StringComparer.Ordinal);

    public TimeSpan DelayFor(string username, string? address)
    {
        var failures = Math.Max(Count("user:" + username.ToLowerInvariant()), address is null ? 0 : Count("addr:" + address));
        var over = failures - options.Value.Sessions.FreeLoginFailures;
        var cap = options.Value.Sessions.MaxLoginDelaySeconds;
        if (over < 0 || cap == 0) return TimeSpan.Zero;
        return new Backoff(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(cap)).Delay(over);
    }

    public void Failed(string username, string? address)
    {
        Bump("user:" + username.ToLowerInvariant());
        if (address is not null) Bump("addr:" + address);
    }

    /// <summary>A success clears the user name's count and its address's (a shared address is not punished for ever; the user name's count still slows a guesser).</summary>
    public void Succeeded(string username, string? address)
    {
        _failures.TryRemove("user:" + username.ToLowerInvariant(), out _);
        if (address is not null) _failures.TryRemove("addr:" + address, out _);
    }

    private int Count(string key) =>
        _failures.TryGetValue(key, out var entry) && time.GetUtcNow() - entry.Last < Memory ? entry.Failures : 0;

    private void Bump(string key)
    {
        var now = time.GetUtcNow();
        _failures.AddOrUpdate(key, (1, now), (_, e) => (now - e.Last < Memory ? e.Failures + 1 : 1, now));
    }
}
