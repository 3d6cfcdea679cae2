using System.Collections.Frozen;
using System.Security.Cryptography;

namespace Agents.WebConsole.Hosting;

/// <summary>
/// The stylesheet, script and icon, embedded in this assembly (nothing comes from the internet or a
/// build step). Each URL carries the content's hash, so browsers cache them until the console changes.
/// </summary>
public sealed class ConsoleAssets
{
    private const string Prefix = "console-assets/";
    private readonly FrozenDictionary<string, Asset> _assets;

    public ConsoleAssets()
    {
        var assembly = typeof(ConsoleAssets).Assembly;
        var assets = new Dictionary<string, Asset>(StringComparer.Ordinal);
        foreach (var resource in assembly.GetManifestResourceNames().Where(n => n.StartsWith(Prefix, StringComparison.Ordinal)))
        {
            using var stream = assembly.GetManifestResourceStream(resource)!;
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            var bytes = copy.ToArray();
            var name = resource[Prefix.Length..];
            assets[name] = new Asset(bytes, ContentType(name), Convert.ToHexStringLower(SHA256.HashData(bytes))[..12]);
        }
        _assets = assets.ToFrozenDictionary(StringComparer.Ordinal);
    }

    public Asset? Find(string name) => _assets.GetValueOrDefault(name);

    /// <summary>The asset's address with its content hash; an unknown name is a programming error.</summary>
    public string Url(string name) =>
        _assets.TryGetValue(name, out var asset) ? $"{ConsolePaths.Assets}/{name}?v={asset.Hash}" : throw new ArgumentException($"no console asset {name}", nameof(name));

    private static string ContentType(string name) => Path.GetExtension(name) switch
    {
        ".css" => "text/css; charset=utf-8",
        ".js" => "text/javascript; charset=utf-8",
        ".svg" => "image/svg+xml",
        ".png" => "image/png",
        _ => "application/octet-stream",
    };

    public sealed record Asset(byte[] Content, string ContentType, string Hash);
}
