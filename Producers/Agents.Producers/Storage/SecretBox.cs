using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace Agents.Producers.Storage;

/// <summary>
/// Encrypts what must be readable again but never stored in clear: API secret keys (HMAC needs
/// them) and reset passwords until their job result is read. AES-256-GCM under a key derived from
/// Producers:MasterKey; the row's purpose is bound as associated data, so a value copied into
/// another row does not open.
/// </summary>
public sealed class SecretBox(IOptions<ProducersOptions> options)
{
    private const int NonceSize = 12;
    private const int TagSize = 16;
    private readonly byte[] _key = SHA256.HashData(Encoding.UTF8.GetBytes("agents-producers/v1/" + options.Value.MasterKey));

    public byte[] Seal(string secret, string purpose)
    {
        var plain = Encoding.UTF8.GetBytes(secret);
        var output = new byte[NonceSize + TagSize + plain.Length];
        var nonce = output.AsSpan(0, NonceSize);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(_key, TagSize);
        aes.Encrypt(nonce, plain, output.AsSpan(NonceSize + TagSize), output.AsSpan(NonceSize, TagSize), Encoding.UTF8.GetBytes(purpose));
        CryptographicOperations.ZeroMemory(plain);
        return output;
    }

    public string Open(byte[] sealedValue, string purpose)
    {
        ArgumentNullException.ThrowIfNull(sealedValue);
        if (sealedValue.Length < NonceSize + TagSize) throw new CryptographicException("sealed value too short");
        var plain = new byte[sealedValue.Length - NonceSize - TagSize];
        using var aes = new AesGcm(_key, TagSize);
        aes.Decrypt(sealedValue.AsSpan(0, NonceSize), sealedValue.AsSpan(NonceSize + TagSize), sealedValue.AsSpan(NonceSize, TagSize), plain, Encoding.UTF8.GetBytes(purpose));
        return Encoding.UTF8.GetString(plain);
    }
}
