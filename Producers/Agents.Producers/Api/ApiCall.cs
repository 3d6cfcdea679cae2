using System.Globalization;
using System.Text.RegularExpressions;
using Agents.Producers.Accounts;

namespace Agents.Producers.Api;

/// <summary>One authenticated call: who made it and its parameters (names case-insensitive, as in CloudStack).</summary>
public sealed partial class ApiCall(Caller caller, string command, IReadOnlyDictionary<string, string> parameters)
{
    public Caller Caller => caller;
    public string Command => command;
    public IReadOnlyDictionary<string, string> Parameters => parameters;

    public string? Optional(string name) =>
        parameters.TryGetValue(name, out var value) && !string.IsNullOrEmpty(value) ? value : null;

    public string Required(string name) => Optional(name) ?? throw ApiException.Missing(name);

    /// <summary>An id (uuid-like): letters, digits, '-', '_' (no '.': ids become routing-key words); anything else is refused before it reaches a routing key.</summary>
    public string RequiredId(string name) => Id(name, Required(name));

    public string? OptionalId(string name) => Optional(name) is { } v ? Id(name, v) : null;

    public IReadOnlyList<string> IdList(string name) =>
        Optional(name) is { } v ? v.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(id => Id(name, id)).ToList() : [];

    public int? OptionalInt(string name, int min, int max)
    {
        if (Optional(name) is not { } v) return null;
        if (!int.TryParse(v, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) || n < min || n > max)
            throw ApiException.Parameter($"{name} must be an integer between {min} and {max}");
        return n;
    }

    public bool OptionalBool(string name, bool fallback = false)
    {
        if (Optional(name) is not { } v) return fallback;
        return bool.TryParse(v, out var b) ? b : throw ApiException.Parameter($"{name} must be true or false");
    }

    /// <summary>CloudStack's map parameters: <c>name[0].key=k&amp;name[0].value=v</c>.</summary>
    public IReadOnlyDictionary<string, string> Map(string name)
    {
        var entries = new SortedDictionary<int, (string? Key, string? Value)>();
        foreach (var (key, value) in parameters)
        {
            var m = MapEntry().Match(key);
            if (!m.Success || !m.Groups[1].Value.Equals(name, StringComparison.OrdinalIgnoreCase)) continue;
            var index = int.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture);
            var entry = entries.GetValueOrDefault(index);
            entries[index] = m.Groups[3].Value.Equals("key", StringComparison.OrdinalIgnoreCase) ? (value, entry.Value) : (entry.Key, value);
        }
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (index, (key, value)) in entries)
        {
            if (string.IsNullOrEmpty(key) || value is null) throw ApiException.Parameter($"{name}[{index}] needs both key and value");
            map[key] = value;
        }
        return map;
    }

    /// <summary>A Linux user name (what the agent accepts), or <paramref name="fallback"/>.</summary>
    public string Username(string fallback)
    {
        var name = Optional("username") ?? fallback;
        return UserName().IsMatch(name) ? name : throw ApiException.Parameter($"username '{Truncate(name)}' is not a valid user name");
    }

    /// <summary>The account a call acts for: an admin may name one, a user always acts for itself.</summary>
    public string TargetAccount()
    {
        // account names follow registerUserKeys' rule (an id): no quotes, spaces or separators reach the store
        var named = OptionalId("account");
        if (named is null) return caller.Account;
        if (!caller.Owns(named)) throw ApiException.Denied($"Account {caller.Account} cannot act for account {named}");
        return named;
    }

    private static string Id(string name, string value) =>
        value.Length is > 0 and <= 64 && value.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_') ? value : throw new ApiException(ApiErrorCode.MalformedParameter, $"{name} '{Truncate(value)}' is not a valid id");

    private static string Truncate(string value) => value.Length <= 64 ? value : value[..64] + "…";

    [GeneratedRegex("^[a-z_][a-z0-9_-]{0,31}$")]
    private static partial Regex UserName();

    [GeneratedRegex(@"^([A-Za-z]+)\[(\d{1,4})\]\.(key|value)$", RegexOptions.IgnoreCase)]
    private static partial Regex MapEntry();
}
