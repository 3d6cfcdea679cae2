using System.Security.Cryptography;
using System.Text;

namespace Agents.Producers.Api;

/// <summary>
/// CloudStack's request signature: every parameter but <c>signature</c>, as
/// <c>name=URL-encoded value</c>, sorted by lower-cased name, joined with '&amp;', the whole string
/// lower-cased, HMAC-SHA1 with the secret key, base64. Values are encoded as Java's URLEncoder
/// does (what the management server re-encodes), with '+' written as %20.
/// </summary>
public static class RequestSignature
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
#pragma warning disable CA5350 // HMAC-SHA1 is CloudStack's signature algorithm; the API must speak it
        var mac = HMACSHA1.HashData(Encoding.UTF8.GetBytes(secretKey), Encoding.UTF8.GetBytes(CanonicalString(parameters)));
#pragma warning restore CA5350
        return Convert.ToBase64String(mac);
    }

    /// <summary>Constant-time comparison of a received signature with the expected one.</summary>
    public static bool Matches(string expected, string received) =>
        CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(expected), Encoding.ASCII.GetBytes(received));

    /// <summary>java.net.URLEncoder.encode(value, "UTF-8") with "+" replaced by "%20".</summary>
    public static string Encode(string value)
    {
        var builder = new StringBuilder(value.Length * 2);
        foreach (var b in Encoding.UTF8.GetBytes(value))
        {
            var c = (char)b;
            if (c is >= 'a' and <= 'z' or >= 'A' and <= 'Z' or >= '0' and <= '9' or '.' or '-' or '*' or '_') builder.Append(c);
            else builder.Append('%').Append(b.ToString("X2", System.Globalization.CultureInfo.InvariantCulture));
        }
        return builder.ToString();
    }
}
