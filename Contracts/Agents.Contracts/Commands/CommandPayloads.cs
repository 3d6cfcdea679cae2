namespace Agents.Contracts.Commands;

/// <summary>Set a user's password. The password travels sealed to the agent's certificate key, never in plaintext.</summary>
public sealed record ResetVmPassword
{
    public required string Username { get; init; }
    public required SealedSecret SealedPassword { get; init; }
}

/// <summary>Replace the keys in a user's authorized_keys that CloudStack manages.</summary>
public sealed record ResetVmSshKey
{
    public required string Username { get; init; }
    public required IReadOnlyList<string> PublicKeys { get; init; }
}

/// <summary>
/// Run a named recipe. The agent runs it only when its local policy allows the name (and the
/// sha256 when given). <see cref="Script"/> (base64) delivers the recipe with the command.
/// Parameters reach the script as environment variables, never on a command line.
/// </summary>
public sealed record RunRecipe
{
    public required string Name { get; init; }
    public string? Sha256 { get; init; }
    public string? Script { get; init; }
    public IReadOnlyDictionary<string, string> Parameters { get; init; } = new Dictionary<string, string>();
    public int TimeoutSeconds { get; init; } = 120;
}

/// <summary>provisionCertificate: make a new key and CSR, enroll it, install the new certificate.</summary>
public sealed record RekeyCertificate
{
    public bool Reconnect { get; init; }
}

/// <summary>getRouterHealthCheckResults with performfreshchecks: run the router's checks now.</summary>
public sealed record RunHealthChecks
{
    /// <summary>Basic, Advanced, or null for both.</summary>
    public string? CheckType { get; init; }
}

/// <summary>
/// A secret sealed to one certificate's P-256 key: ECDH with an ephemeral key, HKDF-SHA256,
/// AES-256-GCM. Fields are base64. The format is documented in docs/protocol.md.
/// </summary>
public sealed record SealedSecret
{
    public const string CurrentAlgorithm = "ECDH-P256+HKDF-SHA256+A256GCM";

    public string Algorithm { get; init; } = CurrentAlgorithm;
    /// <summary>Serial number (hex) of the certificate whose key can open it.</summary>
    public required string RecipientSerial { get; init; }
    /// <summary>The ephemeral public key, SubjectPublicKeyInfo DER.</summary>
    public required string EphemeralPublicKey { get; init; }
    public required string Nonce { get; init; }
    public required string Ciphertext { get; init; }
    public required string Tag { get; init; }
}
