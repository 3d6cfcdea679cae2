using System.Security.Cryptography;
using System.Text;

namespace Agents.VmAgent.Core.Crypto;

/// <summary>
/// SHA-512 crypt (<c>$6$</c>, Ulrich Drepper's specification), the hash /etc/shadow and
/// <c>usermod -p</c> expect. Written here because .NET has no crypt(3) and the agent must not
/// depend on libcrypt being present or on passing the password to a helper's command line.
/// </summary>
public static class Sha512Crypt
{
    private const string Itoa64 = "./0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    private const int DefaultRounds = 5000;
    private const int MaxSaltLength = 16;

    /// <summary>Hashes with a fresh random 16-character salt.</summary>
    public static string Hash(string password)
    {
        var salt = new char[MaxSaltLength];
        for (var i = 0; i < salt.Length; i++) salt[i] = Itoa64[RandomNumberGenerator.GetInt32(Itoa64.Length)];
        return Hash(password, new string(salt));
    }

    public static string Hash(string password, string salt, int rounds = DefaultRounds)
    {
        ArgumentNullException.ThrowIfNull(password);
        ArgumentNullException.ThrowIfNull(salt);
        if (salt.Length > MaxSaltLength) salt = salt[..MaxSaltLength];
        if (salt.Contains('$', StringComparison.Ordinal) || salt.Contains(':', StringComparison.Ordinal) || salt.Contains('\n', StringComparison.Ordinal))
            throw new ArgumentException("salt contains '$', ':' or a newline", nameof(salt));
        rounds = Math.Clamp(rounds, 1000, 999_999_999);

        var p = Encoding.UTF8.GetBytes(password);
        var s = Encoding.UTF8.GetBytes(salt);
        var digest = Compute(p, s, rounds);
        CryptographicOperations.ZeroMemory(p);

        var prefix = rounds == DefaultRounds ? $"$6${salt}$" : $"$6$rounds={rounds}${salt}$";
        return prefix + Encode(digest);
    }

    /// <summary>True when <paramref name="password"/> produces <paramref name="hash"/> (a <c>$6$</c> string).</summary>
    public static bool Verify(string password, string hash)
    {
        ArgumentNullException.ThrowIfNull(hash);
        if (!hash.StartsWith("$6$", StringComparison.Ordinal)) return false;
        var parts = hash[3..].Split('$');
        var rounds = DefaultRounds;
        string salt;
        if (parts.Length == 3 && parts[0].StartsWith("rounds=", StringComparison.Ordinal))
        {
            if (!int.TryParse(parts[0].AsSpan(7), out rounds)) return false;
            salt = parts[1];
        }
        else if (parts.Length == 2)
        {
            salt = parts[0];
        }
        else
        {
            return false;
        }
        var expected = Encoding.ASCII.GetBytes(hash);
        var actual = Encoding.ASCII.GetBytes(Hash(password, salt, rounds));
        return CryptographicOperations.FixedTimeEquals(expected, actual);
    }

    private const int DigestSize = 64;

    /// <summary>
    /// The digest, computed without an allocation per round: 5,000 rounds of new 64-byte arrays made
    /// the agent's GC run about every other password reset (a GC there is a process-wide memory
    /// barrier, milliseconds on a virtual machine), so each digest is written over the last one.
    /// </summary>
    private static byte[] Compute(byte[] p, byte[] s, int rounds)
    {
        using var ctx = IncrementalHash.CreateHash(HashAlgorithmName.SHA512);

        // B = H(P S P)
        ctx.AppendData(p); ctx.AppendData(s); ctx.AppendData(p);
        Span<byte> b = stackalloc byte[DigestSize];
        ctx.GetHashAndReset(b);

        // A = H(P S B-repeated-to-|P| then, per bit of |P|, B or P); C starts as A
        ctx.AppendData(p); ctx.AppendData(s);
        AppendRepeated(ctx, b, p.Length);
        for (var n = p.Length; n > 0; n >>= 1)
        {
            if ((n & 1) != 0) ctx.AppendData(b);
            else ctx.AppendData(p);
        }
        var c = new byte[DigestSize];
        ctx.GetHashAndReset(c);

        // P' from H(P repeated |P| times), S' from H(S repeated 16 + A[0] times)
        Span<byte> digest = stackalloc byte[DigestSize];
        for (var i = 0; i < p.Length; i++) ctx.AppendData(p);
        ctx.GetHashAndReset(digest);
        var pBytes = Repeat(digest, p.Length);
        for (var i = 0; i < 16 + c[0]; i++) ctx.AppendData(s);
        ctx.GetHashAndReset(digest);
        var sBytes = Repeat(digest, s.Length);
        CryptographicOperations.ZeroMemory(b);
        CryptographicOperations.ZeroMemory(digest);

        for (var i = 0; i < rounds; i++)
        {
            ctx.AppendData((i & 1) != 0 ? pBytes : c);
            if (i % 3 != 0) ctx.AppendData(sBytes);
            if (i % 7 != 0) ctx.AppendData(pBytes);
            ctx.AppendData((i & 1) != 0 ? c : pBytes);
            // the hash state holds what was appended: C's bytes may take the new digest
            ctx.GetHashAndReset(c);
        }
        CryptographicOperations.ZeroMemory(pBytes);
        CryptographicOperations.ZeroMemory(sBytes);
        return c;
    }

    private static void AppendRepeated(IncrementalHash ctx, ReadOnlySpan<byte> source, int length)
    {
        var remaining = length;
        for (; remaining > source.Length; remaining -= source.Length) ctx.AppendData(source);
        ctx.AppendData(source[..remaining]);
    }

    private static byte[] Repeat(ReadOnlySpan<byte> source, int length)
    {
        var result = new byte[length];
        for (var i = 0; i < length; i++) result[i] = source[i % source.Length];
        return result;
    }

    // The byte permutation of the specification for SHA-512 output.
    private static readonly int[] Order =
    [
        0, 21, 42, 22, 43, 1, 44, 2, 23, 3, 24, 45, 25, 46, 4, 47, 5, 26, 6, 27, 48, 28, 49, 7,
        50, 8, 29, 9, 30, 51, 31, 52, 10, 53, 11, 32, 12, 33, 54, 34, 55, 13, 56, 14, 35, 15, 36, 57,
        37, 58, 16, 59, 17, 38, 18, 39, 60, 40, 61, 19, 62, 20, 41,
    ];

    private static string Encode(byte[] d)
    {
        var sb = new StringBuilder(86);
        for (var i = 0; i < Order.Length; i += 3) Append24(sb, d[Order[i]], d[Order[i + 1]], d[Order[i + 2]], 4);
        Append24(sb, 0, 0, d[63], 2);
        return sb.ToString();
    }

    private static void Append24(StringBuilder sb, byte b2, byte b1, byte b0, int count)
    {
        var w = (b2 << 16) | (b1 << 8) | b0;
        for (var i = 0; i < count; i++)
        {
            sb.Append(Itoa64[w & 0x3f]);
            w >>= 6;
        }
    }
}
