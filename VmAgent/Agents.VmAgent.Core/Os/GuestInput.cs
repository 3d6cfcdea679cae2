using System.Text.RegularExpressions;

namespace Agents.VmAgent.Core.Os;

/// <summary>Checks on what arrives over the wire before it gets near a file or a tool's stdin.</summary>
public static partial class GuestInput
{
    [GeneratedRegex("^[a-zA-Z_][a-zA-Z0-9_.-]{0,31}$")]
    private static partial Regex UsernamePattern();

    [GeneratedRegex("^(ssh-(rsa|ed25519|dss)|ecdsa-sha2-nistp(256|384|521)|sk-(ssh-ed25519|ecdsa-sha2-nistp256)@openssh\\.com) [A-Za-z0-9+/=]+( [^\\r\\n]*)?$")]
    private static partial Regex PublicKeyPattern();

    /// <exception cref="ArgumentException">the name could inject into passwd-style files.</exception>
    public static string Username(string username) =>
        username is not null && UsernamePattern().IsMatch(username) ? username : throw new ArgumentException("invalid user name (letters, digits, '_', '.', '-'; at most 32)");

    public static string Password(string password)
    {
        if (string.IsNullOrEmpty(password)) throw new ArgumentException("empty password");
        if (password.Length > 512) throw new ArgumentException("password longer than 512 characters");
        if (password.Any(c => c is '\n' or '\r' or '\0')) throw new ArgumentException("password contains a line break or NUL");
        return password;
    }

    public static string PublicKey(string key)
    {
        var trimmed = key?.Trim() ?? "";
        return PublicKeyPattern().IsMatch(trimmed) ? trimmed : throw new ArgumentException("not an OpenSSH public key line");
    }
}
