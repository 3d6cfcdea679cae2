using System.Security.Cryptography;

namespace Agents.Producers.Handlers.VirtualMachines;

/// <summary>Strong random passwords: upper, lower, digit and symbol each at least once, from a CSPRNG.</summary>
public static class Passwords
{
    private const string Upper = "ABCDEFGHJKLMNPQRSTUVWXYZ";
    private const string Lower = "abcdefghijkmnopqrstuvwxyz";
    private const string Digits = "23456789";
    private const string Symbols = "!#%+-.:=?@_";

    public static string Generate(int length)
    {
        if (length < 12) throw new ArgumentOutOfRangeException(nameof(length), "at least 12 characters");
        const string all = Upper + Lower + Digits + Symbols;
        var chars = RandomNumberGenerator.GetItems<char>(all, length);
        chars[0] = RandomNumberGenerator.GetItems<char>(Upper, 1)[0];
        chars[1] = RandomNumberGenerator.GetItems<char>(Lower, 1)[0];
        chars[2] = RandomNumberGenerator.GetItems<char>(Digits, 1)[0];
        chars[3] = RandomNumberGenerator.GetItems<char>(Symbols, 1)[0];
        RandomNumberGenerator.Shuffle(chars.AsSpan());
        return new string(chars);
    }
}
