using System.Collections.Concurrent;
using System.Security.Cryptography;
using Agents.Producers.Accounts;
using Microsoft.Extensions.Options;

namespace Agents.Producers.Sessions;

/// <summary>
/// The live sessions of this API process, in memory (as a servlet container keeps them): an API
/// restart signs everyone out. A session unused for the idle timeout is gone on its next use.
/// </summary>
public sealed class SessionStore(IOptions<ProducersOptions> options, TimeProvider time)
{
    /// <summary>Written after the session id in the JSESSIONID cookie, as a servlet container names its node.</summary>
    public const string Node = "agents";

    private readonly ConcurrentDictionary<string, ApiSession> _sessions = new(StringComparer.Ordinal);

    public TimeSpan IdleTimeout => TimeSpan.FromMinutes(options.Value.Sessions.IdleTimeoutMinutes);

    public ApiSession Create(Caller caller)
    {
        Sweep();
        var session = new ApiSession(Convert.ToHexString(RandomNumberGenerator.GetBytes(16)), Token(), caller, time.GetUtcNow());
        _sessions[session.Id] = session;
        return session;
    }

    /// <summary>The session a JSESSIONID cookie value (<c>id.node</c>) names, if it is alive; its idle clock restarts.</summary>
    public ApiSession? Find(string? cookie)
    {
        if (string.IsNullOrEmpty(cookie)) return null;
        var dot = cookie.LastIndexOf('.');
        var id = dot > 0 ? cookie[..dot] : cookie;
        if (!_sessions.TryGetValue(id, out var session)) return null;
        var now = time.GetUtcNow();
        if (now - session.LastSeen > IdleTimeout)
        {
            _sessions.TryRemove(id, out _);
            return null;
        }
        session.Touch(now);
        return session;
    }

    public void End(ApiSession session)
    {
        ArgumentNullException.ThrowIfNull(session);
        _sessions.TryRemove(session.Id, out _);
    }

    private void Sweep()
    {
        var now = time.GetUtcNow();
        foreach (var (id, session) in _sessions)
            if (now - session.LastSeen > IdleTimeout) _sessions.TryRemove(id, out _);
    }

    private static string Token() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(24)).Replace('+', '-').Replace('/', '_');
}
