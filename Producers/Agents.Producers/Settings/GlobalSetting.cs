using System.Globalization;
using Agents.Producers.Api;

namespace Agents.Producers.Settings;

/// <summary>One framework-wide setting under its CloudStack name (CloudStack's ConfigKey): its type, default, bounds and which component uses it.</summary>
public sealed record GlobalSetting(string Name, string Category, string Component, SettingType Type, string DefaultValue, string Description)
{
    public int Min { get; init; } = int.MinValue;
    public int Max { get; init; } = int.MaxValue;

    /// <summary>CloudStack's group (shown by listConfigurations since 4.18).</summary>
    public string Group { get; init; } = "Miscellaneous";

    /// <summary>The value as stored: booleans lower-case, integers in range, strings trimmed; a bad value is a 431 naming the setting.</summary>
    public string Normalize(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var v = value.Trim();
        switch (Type)
        {
            case SettingType.Boolean:
                return bool.TryParse(v, out var b) ? (b ? "true" : "false") : throw ApiException.Parameter($"Please enter either 'true' or 'false' for {Name}.");
            case SettingType.Integer:
                if (!int.TryParse(v, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n))
                    throw ApiException.Parameter($"Value for {Name} is not a valid number: {Truncate(v)}");
                return n >= Min && n <= Max ? n.ToString(CultureInfo.InvariantCulture)
                    : throw ApiException.Parameter($"Value for {Name} must be between {Min} and {Max}");
            default:
                return v.Length <= 4096 && !v.Any(char.IsControl) ? v : throw ApiException.Parameter($"Value for {Name} must be printable text of at most 4096 characters");
        }
    }

    private static string Truncate(string v) => v.Length <= 64 ? v : v[..64] + "…";
}
