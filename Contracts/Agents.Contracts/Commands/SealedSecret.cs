namespace Agents.Contracts.Commands;

/// <summary>
/// A secret sealed to one certificate's P-256 key: ECDH with an ephemeral key, HKDF-SHA256,
/// AES-256-GCM (Agents.Security.Sealing.SecretSealer seals and opens it). Fields are standard
/// base64. The format is documented in docs/protocol.md.
/// </summary>
public sealed record SealedSecret
{
    public const string CurrentAlgorithm = "ECDH-P256+HKDF-SHA256+A256GCM";

    // set, not init: the source-generated reader hands every init-only property to the object initializer, so a field left out would lose this default
    public string Algorithm { get; set; } = CurrentAlgorithm;
    /// <summary>Serial number (hex) of the certificate whose key can open it.</summary>
    public required string RecipientSerial { get; init; }
    /// <summary>The ephemeral public key, SubjectPublicKeyInfo DER.</summary>
    public required string EphemeralPublicKey { get; init; }
    public required string Nonce { get; init; }
    public required string Ciphertext { get; init; }
    public required string Tag { get; init; }
}
