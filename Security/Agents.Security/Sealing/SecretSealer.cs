using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Agents.Contracts.Commands;

namespace Agents.Security.Sealing;

/// <summary>
/// Seals a secret to a certificate's P-256 public key and opens it with the matching private key:
/// ephemeral ECDH P-256, HKDF-SHA256, AES-256-GCM. Only the holder of the certificate's key can
/// open it, so the bus and the bridge carry the secret without being able to read it.
/// </summary>
public static class SecretSealer
{
    public const string Algorithm = SealedSecret.CurrentAlgorithm;

    /// <summary>HKDF info: names the purpose and version so a key derived here is useless anywhere else.</summary>
    public const string HkdfInfo = "cloudstack-agents/sealed-secret/v1";

    public const int NonceSize = 12;
    public const int TagSize = 16;
    public const int KeySize = 32;

    /// <summary>The largest secret accepted: passwords and keys, not files.</summary>
    public const int MaxSecretBytes = 64 * 1024;

    public static SealedSecret Seal(string secret, X509Certificate2 recipient)
    {
        ArgumentNullException.ThrowIfNull(secret);
        return Seal(Encoding.UTF8.GetBytes(secret), recipient);
    }

    public static SealedSecret Seal(ReadOnlySpan<byte> secret, X509Certificate2 recipient)
    {
        ArgumentNullException.ThrowIfNull(recipient);
        if (secret.Length > MaxSecretBytes) throw new ArgumentException($"a sealed secret holds at most {MaxSecretBytes} bytes", nameof(secret));
        using var recipientKey = recipient.GetECDiffieHellmanPublicKey()
            ?? throw new ArgumentException("the recipient certificate has no EC public key", nameof(recipient));
        var recipientParameters = recipientKey.ExportParameters(includePrivateParameters: false);
        if (recipientParameters.Curve.Oid.Value != ECCurve.NamedCurves.nistP256.Oid.Value)
            throw new ArgumentException("the recipient certificate's key is not P-256", nameof(recipient));

        using var ephemeral = ECDiffieHellman.Create(ECCurve.NamedCurves.nistP256);
        using var peer = ECDiffieHellman.Create(recipientParameters);
        var shared = ephemeral.DeriveRawSecretAgreement(peer.PublicKey);
        var key = DeriveKey(shared);
        CryptographicOperations.ZeroMemory(shared);

        var serial = recipient.SerialNumber;
        var nonce = RandomNumberGenerator.GetBytes(NonceSize);
        var ciphertext = new byte[secret.Length];
        var tag = new byte[TagSize];
        using (var aes = new AesGcm(key, TagSize))
        {
            aes.Encrypt(nonce, secret, ciphertext, tag, AssociatedData(Algorithm, serial));
        }
        CryptographicOperations.ZeroMemory(key);

        return new SealedSecret
        {
            Algorithm = Algorithm,
            RecipientSerial = serial,
            EphemeralPublicKey = Convert.ToBase64String(ephemeral.PublicKey.ExportSubjectPublicKeyInfo()),
            Nonce = Convert.ToBase64String(nonce),
            Ciphertext = Convert.ToBase64String(ciphertext),
            Tag = Convert.ToBase64String(tag),
        };
    }

    /// <summary>Opens the envelope with the certificate's private key; checks it was sealed to this certificate.</summary>
    public static byte[] Open(SealedSecret envelope, X509Certificate2 recipientWithKey)
    {
        ArgumentNullException.ThrowIfNull(envelope);
        ArgumentNullException.ThrowIfNull(recipientWithKey);
        if (!string.Equals(envelope.RecipientSerial, recipientWithKey.SerialNumber, StringComparison.OrdinalIgnoreCase))
            throw new SealedSecretException($"sealed to certificate {envelope.RecipientSerial}, not to this one ({recipientWithKey.SerialNumber})");
        using var key = recipientWithKey.GetECDsaPrivateKey()
            ?? throw new SealedSecretException("the certificate has no EC private key");
        return Open(envelope, key);
    }

    /// <summary>Opens the envelope with a P-256 private key (the agent keeps an ECDSA key; ECDH uses the same scalar).</summary>
    public static byte[] Open(SealedSecret envelope, ECDsa privateKey)
    {
        ArgumentNullException.ThrowIfNull(envelope);
        ArgumentNullException.ThrowIfNull(privateKey);
        if (envelope.Algorithm != Algorithm) throw new SealedSecretException($"unknown sealing algorithm '{envelope.Algorithm}'");

        var ephemeralSpki = Decode(envelope.EphemeralPublicKey, nameof(envelope.EphemeralPublicKey));
        var nonce = Decode(envelope.Nonce, nameof(envelope.Nonce));
        var ciphertext = Decode(envelope.Ciphertext, nameof(envelope.Ciphertext));
        var tag = Decode(envelope.Tag, nameof(envelope.Tag));
        if (nonce.Length != NonceSize) throw new SealedSecretException($"nonce must be {NonceSize} bytes");
        if (tag.Length != TagSize) throw new SealedSecretException($"tag must be {TagSize} bytes");
        if (ciphertext.Length > MaxSecretBytes) throw new SealedSecretException("ciphertext too large");

        using var mine = ECDiffieHellman.Create(privateKey.ExportParameters(includePrivateParameters: true));
        using var ephemeral = ECDiffieHellman.Create();
        try
        {
            ephemeral.ImportSubjectPublicKeyInfo(ephemeralSpki, out _);
        }
        catch (CryptographicException e)
        {
            throw new SealedSecretException("ephemeral public key is not a valid SubjectPublicKeyInfo", e);
        }
        if (ephemeral.ExportParameters(false).Curve.Oid.Value != ECCurve.NamedCurves.nistP256.Oid.Value)
            throw new SealedSecretException("ephemeral public key is not P-256");

        var shared = mine.DeriveRawSecretAgreement(ephemeral.PublicKey);
        var key = DeriveKey(shared);
        CryptographicOperations.ZeroMemory(shared);
        var plaintext = new byte[ciphertext.Length];
        try
        {
            using var aes = new AesGcm(key, TagSize);
            aes.Decrypt(nonce, ciphertext, tag, plaintext, AssociatedData(envelope.Algorithm, envelope.RecipientSerial));
            return plaintext;
        }
        catch (CryptographicException e)
        {
            throw new SealedSecretException("the sealed secret was tampered with or sealed to another key", e);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(key);
        }
    }

    public static string OpenString(SealedSecret envelope, ECDsa privateKey) => Encoding.UTF8.GetString(Open(envelope, privateKey));

    private static byte[] DeriveKey(byte[] sharedSecret) =>
        HKDF.DeriveKey(HashAlgorithmName.SHA256, sharedSecret, KeySize, salt: [], info: Encoding.ASCII.GetBytes(HkdfInfo));

    /// <summary>Binds the algorithm and the recipient to the ciphertext: changing either breaks the tag.</summary>
    private static byte[] AssociatedData(string algorithm, string serial) => Encoding.UTF8.GetBytes($"{algorithm}|{serial}");

    private static byte[] Decode(string value, string field)
    {
        try { return Convert.FromBase64String(value); }
        catch (FormatException e) { throw new SealedSecretException($"{field} is not base64", e); }
    }
}
