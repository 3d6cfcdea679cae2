using System.Security.Cryptography;
using System.Text;

namespace Agents.CaAuthority.Tokens;

/// <summary>One-time enrollment tokens: 256 random bits shown once, kept only as SHA-256.</summary>
public static class EnrollmentTokens
{
    public const string Prefix = "etk_";

    public static string New() => Prefix + Base64Url(RandomNumberGenerator.GetBytes(32));

    public static string Hash(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
