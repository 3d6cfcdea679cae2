namespace Agents.Security.Sealing;

/// <summary>
/// A secret sealed to one certificate's P-256 key. The fields and their JSON names are exactly
/// those of the bus record <c>Agents.Contracts.Commands.SealedSecret</c>, so a producer can copy
/// one into the other field by field; this copy exists because the agent must not load Newtonsoft.
/// Every binary field is standard base64. The format is documented in docs/protocol.md.
/// </summary>
public sealed record SealedEnvelope(
    string Algorithm,
    string RecipientSerial,
    string EphemeralPublicKey,
    string Nonce,
    string Ciphertext,
    string Tag);
