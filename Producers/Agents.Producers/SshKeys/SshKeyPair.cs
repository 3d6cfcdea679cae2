using System.Security.Cryptography;

namespace Agents.Producers.SshKeys;

/// <summary>An account's registered public key (CloudStack's SSH key pair without the private half).</summary>
public sealed record SshKeyPair(string Account, string Name, string PublicKey, string Fingerprint, DateTimeOffset Created)
{
    /// <summary>CloudStack shows the MD5 fingerprint of the key blob (aa:bb:…).</summary>
    public static string FingerprintOf(string publicKey)
    {
        var parts = publicKey.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length < 2 || !parts[0].StartsWith("ssh-", StringComparison.Ordinal) && !parts[0].StartsWith("ecdsa-", StringComparison.Ordinal))
            throw new FormatException("not an OpenSSH public key (type base64 [comment])");
        byte[] blob;
        try { blob = Convert.FromBase64String(parts[1]); }
        catch (FormatException) { throw new FormatException("the key's base64 part is not base64"); }
#pragma warning disable CA5351 // MD5 is the fingerprint format CloudStack shows, not a security control
        return string.Join(':', MD5.HashData(blob).Select(b => b.ToString("x2", System.Globalization.CultureInfo.InvariantCulture)));
#pragma warning restore CA5351
    }
}
