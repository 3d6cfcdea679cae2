using System.Security.Cryptography;
using Agents.Producers.Accounts;
using Agents.Storage;
using Microsoft.Extensions.Options;

namespace Agents.Producers.Sessions;

/// <summary>
/// The sign-in sessions, in the API's database (table <c>api_sessions</c>), so that every API
/// instance on one database honours a session another made and an API restart signs no one out.
/// A session unused for the idle timeout is gone on its next use; expired rows are swept when a
/// session is made. Its last use is written at most once a minute, not on every call.
/// </summary>
public sealed class SessionStore(Database db, IOptions<ProducersOptions> options, TimeProvider time)
{
    /// <summary>Written after the session id in the JSESSIONID cookie, as a servlet container names its node.</summary>
    public const string Node = "agents";

    private static readonly TimeSpan TouchEvery = TimeSpan.FromMinutes(1);

    public TimeSpan IdleTimeout => TimeSpan.FromMinutes(options.Value.Sessions.IdleTimeoutMinutes);

    public async Task<NewSession> CreateAsync(Caller caller, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(caller);
        var now = time.GetUtcNow();
        await db.ExecuteAsync("DELETE FROM api_sessions WHERE last_seen < @t", ("@t", (now - IdleTimeout).Iso())).ConfigureAwait(false);
        var id = Convert.ToHexString(RandomNumberGenerator.GetBytes(16));
        var key = Token();
        var session = new ApiSession(ApiSession.Hash(id), ApiSession.Hash(key), caller, now, now);
        await db.ExecuteAsync(
            "INSERT INTO api_sessions(id_hash, key_hash, account, role, user_id, username, created, last_seen) VALUES (@i, @k, @a, @r, @u, @n, @c, @c)",
            ("@i", session.IdHash), ("@k", session.KeyHash), ("@a", caller.Account), ("@r", caller.Role.ToString()), ("@u", caller.UserId),
            ("@n", caller.UserName), ("@c", now.Iso())).ConfigureAwait(false);
        return new NewSession(id, key, session);
    }

    /// <summary>The session a JSESSIONID cookie value (<c>id.node</c>) names, if it is alive; its idle clock restarts.</summary>
    public async Task<ApiSession?> FindAsync(string? cookie, CancellationToken ct)
    {
        if (string.IsNullOrEmpty(cookie) || cookie.Length > 200) return null;
        var dot = cookie.LastIndexOf('.');
        var idHash = ApiSession.Hash(dot > 0 ? cookie[..dot] : cookie);
        var session = await db.SingleAsync(
            "SELECT key_hash, account, role, user_id, username, created, last_seen FROM api_sessions WHERE id_hash = @i",
            r => new ApiSession(idHash, r.GetString(0), new Caller(r.GetString(1), Enum.Parse<Role>(r.GetString(2)), r.NullableString(3), r.NullableString(4)),
                r.Time(5), r.Time(6)), ("@i", idHash)).ConfigureAwait(false);
        if (session is null) return null;
        var now = time.GetUtcNow();
        if (now - session.LastSeen > IdleTimeout)
        {
            await EndAsync(session, ct).ConfigureAwait(false);
            return null;
        }
        if (now - session.LastSeen >= TouchEvery)
            await db.ExecuteAsync("UPDATE api_sessions SET last_seen = @t WHERE id_hash = @i", ("@t", now.Iso()), ("@i", idHash)).ConfigureAwait(false);
        return session;
    }

    public Task EndAsync(ApiSession session, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(session);
        return db.ExecuteAsync("DELETE FROM api_sessions WHERE id_hash = @i", ("@i", session.IdHash));
    }

    private static string Token() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(24)).Replace('+', '-').Replace('/', '_');
}
