namespace Agents.Security.Sealing;

/// <summary>A sealed secret that cannot be opened: wrong recipient, bad encoding, or tampered with. The message never holds the secret.</summary>
public sealed class SealedSecretException : Exception
{
    public SealedSecretException() { }
    public SealedSecretException(string message) : base(message) { }
    public SealedSecretException(string message, Exception inner) : base(message, inner) { }
}
