using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Agents.Producers.Accounts;

/// <summary>
/// Passwords are stored as PBKDF2-HMAC-SHA256 with a random 16-byte salt and 600,000 iterations
/// (OWASP's figure for that hash): <c>pbkdf2-sha256$iterations$salt$hash</c>. A stored hash keeps
/// its iteration count, so raising it later does not lock anyone out.
/// </summary>
public static class PasswordHasher
{
    public const int Iterations = 600_000;
    private const string Scheme = "pbkdf2-sha256";
    private const int SaltBytes = 16;
    private const int HashBytes = 32;

    public static string Hash(string password)
    {
        ArgumentNullException.ThrowIfNull(password);
        var salt = RandomNumberGenerator.GetBytes(SaltBytes);
        var hash = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(password), salt, Iterations, HashAlgorithmName.SHA256, HashBytes);
        return string.Join('$', Scheme, Iterations.ToString(CultureInfo.InvariantCulture), Convert.ToBase64String(salt), Convert.ToBase64String(hash));
    }

    /// <summary>Constant-time comparison; a malformed or missing hash never matches.</summary>
    public static bool Verify(string password, string? stored)
    {
        ArgumentNullException.ThrowIfNull(password);
        var parts = stored?.Split('$');
        if (parts is not [Scheme, var iterationText, var saltText, var hashText]
            || !int.TryParse(iterationText, NumberStyles.None, CultureInfo.InvariantCulture, out var iterations) || iterations < 1)
            return false;
        try
        {
            var expected = Convert.FromBase64String(hashText);
            var actual = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(password), Convert.FromBase64String(saltText), iterations, HashAlgorithmName.SHA256, expected.Length);
            return CryptographicOperations.FixedTimeEquals(actual, expected);
        }
        catch (FormatException)
        {
            return false;
        }
    }

    /// <summary>Spends the time of one verification, so an unknown user name answers as slowly as a wrong password.</summary>
    public static void Waste(string password) => _ = Verify(password, Decoy);

    private static readonly string Decoy = Hash(Convert.ToBase64String(RandomNumberGenerator.GetBytes(12)));
}
