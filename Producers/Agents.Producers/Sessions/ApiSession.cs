using System.Security.Cryptography;
using System.Text;
using Agents.Producers.Accounts;

namespace Agents.Producers.Sessions;

/// <summary>
/// A signed-in user's session: its id travels in the JSESSIONID cookie, its key as the sessionkey
/// cookie and parameter. The store keeps only their hashes; <see cref="Matches"/> checks a key.
/// </summary>
public sealed record ApiSession(string IdHash, string KeyHash, Caller Caller, DateTimeOffset Created, DateTimeOffset LastSeen)
{
    public static string Hash(string value) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(value)));

    /// <summary>Whether <paramref name="key"/> is this session's key (in constant time).</summary>
    public bool Matches(string? key) =>
        key is not null && CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(KeyHash), Encoding.ASCII.GetBytes(Hash(key)));
}
