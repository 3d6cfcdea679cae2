using Agents.Testing;

namespace Agents.CaAuthority.Tests.Support;

/// <summary>openssl, the independent judge: makes CSRs and verifies what the CA issues.</summary>
public sealed class Openssl : IDisposable
{
    public string Directory { get; } = Path.Combine(Path.GetTempPath(), "agents-ca-openssl-" + Guid.NewGuid().ToString("N")[..8]);

    public Openssl() => System.IO.Directory.CreateDirectory(Directory);

    public string PathOf(string name) => Path.Combine(Directory, name);

    public async Task<ProcessResult> RunAsync(params string[] args)
    {
        var result = await ProcessRunner.RunAsync("openssl", args, timeout: TimeSpan.FromSeconds(60));
        return result;
    }

    public async Task<string> MustAsync(params string[] args)
    {
        var result = await RunAsync(args);
        Assert.True(result.ExitCode == 0, $"openssl {string.Join(' ', args)} failed: {result.Output}");
        return result.Stdout;
    }

    /// <summary>A CSR made by <c>openssl req</c>: "rsa:2048" or "ec" (P-256), with optional -addext lines.</summary>
    public async Task<string> CsrAsync(string key, string subject, params string[] extensions)
    {
        var name = Guid.NewGuid().ToString("N")[..8];
        var args = new List<string> { "req", "-new", "-nodes", "-subj", subject, "-keyout", PathOf(name + ".key"), "-out", PathOf(name + ".csr") };
        // "ec" is P-256; "ec:P-521" another named curve; "ec:P-384:explicit" the curve's parameters spelled out instead of its name
        if (key.StartsWith("ec", StringComparison.Ordinal))
        {
            var parts = key.Split(':');
            args.AddRange(["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:" + (parts.Length > 1 ? parts[1] : "P-256")]);
            if (parts.Length > 2 && parts[2] == "explicit") args.AddRange(["-pkeyopt", "ec_param_enc:explicit"]);
        }
        else args.AddRange(["-newkey", key]);
        foreach (var extension in extensions) args.AddRange(["-addext", extension]);
        await MustAsync([.. args]);
        return await File.ReadAllTextAsync(PathOf(name + ".csr"));
    }

    public async Task<string> WriteAsync(string name, string content)
    {
        await File.WriteAllTextAsync(PathOf(name), content);
        return PathOf(name);
    }

    public void Dispose()
    {
        try { System.IO.Directory.Delete(Directory, recursive: true); } catch (IOException) { }
    }
}
