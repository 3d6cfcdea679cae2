using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Agents.Security.Signing;

/// <summary>
/// CloudStack's API request signature, as its documentation and CloudMonkey compute it: every
/// parameter but <c>signature</c>, as <c>name=value</c> with the value URL-encoded the way Java's
/// URLEncoder does (space as %20), sorted by lower-cased name, joined with '&amp;', the whole string
/// lower-cased, HMAC-SHA1 with the secret key, base64. One implementation for every client here
/// (agentctl, the demo); the API service checks the same string.
/// </summary>
public static class CloudStackSignature
{
    public static string CanonicalString(IEnumerable<KeyValuePair<string, string>> parameters) =>
        string.Join('&', parameters
            .Where(p => !p.Key.Equals("signature", StringComparison.OrdinalIgnoreCase))
            .Select(p => (Name: p.Key.ToLowerInvariant(), p.Value))
            .OrderBy(p => p.Name, StringComparer.Ordinal)
            .Select(p => p.Name + "=" + Encode(p.Value)))
        .ToLowerInvariant();

    public static string Sign(IEnumerable<KeyValuePair<string, string>> parameters, string secretKey)
    {
        ArgumentNullException.ThrowIfNull(secretKey);
#pragma warning disable CA5350 // HMAC-SHA1 is CloudStack's signature algorithm; clients and server must speak it
        var mac = HMACSHA1.HashData(Encoding.UTF8.GetBytes(secretKey), Encoding.UTF8.GetBytes(CanonicalString(parameters)));
#pragma warning restore CA5350
        return Convert.ToBase64String(mac);
    }

    /// <summary>Constant-time comparison of a received signature with the expected one.</summary>
    public static bool Matches(string expected, string received)
    {
        ArgumentNullException.ThrowIfNull(expected);
        ArgumentNullException.ThrowIfNull(received);
        return CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(expected), Encoding.ASCII.GetBytes(received));
    }

    /// <summary>The query string a client sends: the parameters in their order, Java-encoded, then <c>signature</c>.</summary>
    public static string SignedQuery(IReadOnlyList<KeyValuePair<string, string>> parameters, string secretKey)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        var query = string.Join('&', parameters.Select(p => Encode(p.Key) + "=" + Encode(p.Value)));
        return query + "&signature=" + Encode(Sign(parameters, secretKey));
    }

    /// <summary>java.net.URLEncoder.encode(value, "UTF-8") with "+" written as "%20".</summary>
    public static string Encode(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var builder = new StringBuilder(value.Length * 2);
        foreach (var b in Encoding.UTF8.GetBytes(value))
        {
            var c = (char)b;
            if (char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '*' or '_') builder.Append(c);
            else builder.Append('%').Append(b.ToString("X2", CultureInfo.InvariantCulture));
        }
        return builder.ToString();
    }
}
