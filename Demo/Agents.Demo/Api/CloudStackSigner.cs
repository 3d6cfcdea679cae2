using System.Security.Cryptography;
using System.Text;

namespace Agents.Demo.Api;

/// <summary>
/// CloudStack's request signing, as its documentation and CloudMonkey do it: parameters sorted by
/// name, each value URL-encoded the Java way (space as %20), the whole string lower-cased,
/// HMAC-SHA1 with the secret key, base64.
/// </summary>
public static class CloudStackSigner
{
    public static string Sign(IEnumerable<KeyValuePair<string, string>> parameters, string secretKey)
    {
        var canonical = string.Join('&', parameters
            .OrderBy(p => p.Key.ToLowerInvariant(), StringComparer.Ordinal)
            .Select(p => $"{p.Key}={JavaUrlEncode(p.Value)}"))
            .ToLowerInvariant();
        return Convert.ToBase64String(HMACSHA1.HashData(Encoding.UTF8.GetBytes(secretKey), Encoding.UTF8.GetBytes(canonical)));
    }

    /// <summary>java.net.URLEncoder with '+' written as %20, as CloudStack's signature check expects.</summary>
    public static string JavaUrlEncode(string value)
    {
        var text = new StringBuilder();
        foreach (var b in Encoding.UTF8.GetBytes(value))
        {
            var c = (char)b;
            if (char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '*' or '_') text.Append(c);
            else text.Append('%').Append(b.ToString("X2", System.Globalization.CultureInfo.InvariantCulture));
        }
        return text.ToString();
    }
}
