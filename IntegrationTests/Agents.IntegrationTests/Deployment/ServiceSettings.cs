using System.Reflection;
using System.Runtime.InteropServices;

namespace Agents.IntegrationTests.Deployment;

/// <summary>
/// The settings a built service binds, read from its assemblies with MetadataLoadContext (nothing of
/// the service runs): every options class with a <c>public const string Section</c>, walked property
/// by property as Microsoft.Extensions.Configuration binds it (names case-insensitive,
/// <c>[ConfigurationKeyName]</c>, list indexes, dictionary keys), and CloudStack's top-level keys
/// (<c>ca.framework.…</c>) from those attributes.
/// </summary>
public sealed class ServiceSettings : IDisposable
{
    private static readonly HashSet<string> Scalars =
    [
        "System.String", "System.Boolean", "System.Byte", "System.Int16", "System.Int32", "System.Int64", "System.UInt16", "System.UInt32",
        "System.UInt64", "System.Double", "System.Single", "System.Decimal", "System.Char", "System.TimeSpan", "System.DateTime",
        "System.DateTimeOffset", "System.Guid", "System.Uri",
    ];

    private static readonly HashSet<string> Lists =
    [
        "System.Collections.Generic.List`1", "System.Collections.Generic.IList`1", "System.Collections.Generic.IReadOnlyList`1",
        "System.Collections.Generic.ICollection`1", "System.Collections.Generic.IReadOnlyCollection`1", "System.Collections.Generic.IEnumerable`1",
        "System.Collections.Generic.HashSet`1", "System.Collections.Generic.ISet`1",
    ];

    private static readonly HashSet<string> Dictionaries =
    [
        "System.Collections.Generic.Dictionary`2", "System.Collections.Generic.IDictionary`2", "System.Collections.Generic.IReadOnlyDictionary`2",
    ];

    private readonly MetadataLoadContext _context;
    private readonly Dictionary<string, List<Type>> _sections = new(StringComparer.OrdinalIgnoreCase);
    private readonly HashSet<string> _topLevelKeys = new(StringComparer.OrdinalIgnoreCase);

    public ServiceSettings(string program)
    {
        var folder = Path.GetDirectoryName(program)!;
        var assemblies = Directory.GetFiles(folder, "*.dll").Concat(SharedFrameworks().SelectMany(f => Directory.GetFiles(f, "*.dll")))
            .GroupBy(Path.GetFileName).Select(g => g.First());
        _context = new MetadataLoadContext(new PathAssemblyResolver(assemblies));
        foreach (var file in Directory.GetFiles(folder, "Agents.*.dll").Append(program).Distinct())
        {
            foreach (var type in TypesOf(_context.LoadFromAssemblyPath(file)))
            {
                if (type.GetField("Section", BindingFlags.Public | BindingFlags.Static) is { IsLiteral: true } field && field.GetRawConstantValue() is string section)
                {
                    if (!_sections.TryGetValue(section, out var types)) _sections[section] = types = [];
                    types.Add(type);
                    foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
                        if (KeyName(property) is { } key && key.Contains('.', StringComparison.Ordinal)) _topLevelKeys.Add(key);
                }
            }
        }
        Assert.True(_sections.Count > 0, $"{program}: no options class with a Section constant found");
    }

    public IEnumerable<string> Sections => _sections.Keys;

    /// <summary>Whether the service binds the configuration key <paramref name="key"/> (<c>Producers:Bootstrap:AdminApiKey</c>).</summary>
    public bool Knows(string key)
    {
        var segments = key.Split(':');
        if (_topLevelKeys.Contains(string.Join('.', segments))) return true;
        return _sections.TryGetValue(segments[0], out var types) && types.Any(t => Walk(t, segments.AsSpan(1)));
    }

    private static bool Walk(Type options, ReadOnlySpan<string> rest)
    {
        if (rest.IsEmpty) return true;
        var name = rest[0];
        var property = options.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .FirstOrDefault(p => string.Equals(KeyName(p) ?? p.Name, name, StringComparison.OrdinalIgnoreCase));
        return property is not null && WalkValue(property.PropertyType, rest[1..]);
    }

    private static bool WalkValue(Type type, ReadOnlySpan<string> rest)
    {
        if (type.IsGenericType && type.GetGenericTypeDefinition().FullName == "System.Nullable`1") type = type.GetGenericArguments()[0];
        if (type.IsEnum || type.IsPrimitive || Scalars.Contains(type.FullName ?? "")) return rest.IsEmpty;
        if (type.IsArray) return !rest.IsEmpty && int.TryParse(rest[0], out _) && WalkValue(type.GetElementType()!, rest[1..]);
        if (type.IsGenericType && Lists.Contains(type.GetGenericTypeDefinition().FullName ?? ""))
            return !rest.IsEmpty && int.TryParse(rest[0], out _) && WalkValue(type.GetGenericArguments()[0], rest[1..]);
        if (type.IsGenericType && Dictionaries.Contains(type.GetGenericTypeDefinition().FullName ?? ""))
            return !rest.IsEmpty && WalkValue(type.GetGenericArguments()[1], rest[1..]);
        return Walk(type, rest);
    }

    private static string? KeyName(PropertyInfo property) =>
        property.CustomAttributes.FirstOrDefault(a => a.AttributeType.Name == "ConfigurationKeyNameAttribute")?.ConstructorArguments[0].Value as string;

    private static IEnumerable<Type> TypesOf(Assembly assembly)
    {
        try { return assembly.GetTypes(); }
        catch (ReflectionTypeLoadException e) { return e.Types.OfType<Type>(); }
    }

    /// <summary>The running .NET's own assemblies and ASP.NET Core's of the same major version (the web services' framework).</summary>
    private static IEnumerable<string> SharedFrameworks()
    {
        var runtime = RuntimeEnvironment.GetRuntimeDirectory().TrimEnd(Path.DirectorySeparatorChar);
        yield return runtime;
        var shared = Path.GetDirectoryName(Path.GetDirectoryName(runtime))!;
        var major = Environment.Version.Major + ".";
        var aspNet = Path.Combine(shared, "Microsoft.AspNetCore.App");
        if (Directory.Exists(aspNet))
            foreach (var version in Directory.GetDirectories(aspNet).Where(d => Path.GetFileName(d).StartsWith(major, StringComparison.Ordinal)).OrderDescending().Take(1))
                yield return version;
    }

    public void Dispose() => _context.Dispose();
}
