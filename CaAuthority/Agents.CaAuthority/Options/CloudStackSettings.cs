using System.Reflection;
using Microsoft.Extensions.Configuration;

namespace Agents.CaAuthority.Options;

/// <summary>
/// Binds the settings that keep CloudStack's names. They are top-level keys spelled as in
/// CloudStack (<c>ca.framework.cert.validity.period</c>) in appsettings.json and flags; an
/// environment variable cannot hold dots in most shells, so <c>ca__framework__cert__validity__period</c>
/// (the configuration path <c>ca:framework:cert:validity:period</c>) is read too and wins.
/// </summary>
public static class CloudStackSettings
{
    public static void Bind(IConfiguration configuration, CaOptions options)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        configuration.Bind(options);
        var nested = new Dictionary<string, string?>();
        foreach (var name in Names)
        {
            var value = configuration[name.Replace('.', ':')];
            if (value is not null) nested[name] = value;
        }
        if (nested.Count > 0) new ConfigurationBuilder().AddInMemoryCollection(nested).Build().Bind(options);
    }

    /// <summary>Every CloudStack name <see cref="CaOptions"/> answers to.</summary>
    public static IReadOnlyList<string> Names { get; } = typeof(CaOptions).GetProperties()
        .Select(p => p.GetCustomAttribute<ConfigurationKeyNameAttribute>()?.Name)
        .OfType<string>()
        .ToList();
}
