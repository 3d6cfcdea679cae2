using System.Diagnostics;
using System.Text;
using Agents.Testing;

namespace Agents.CaAuthority.Tests.Support;

/// <summary>The CA as the demo starts it: <c>dotnet Agents.CaAuthority.dll --flags</c>, a process of its own.</summary>
public sealed class CaProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private CaProcess(Process process)
    {
        _process = process;
        _process.OutputDataReceived += (_, e) => { lock (_output) _output.AppendLine(e.Data); };
        _process.ErrorDataReceived += (_, e) => { lock (_output) _output.AppendLine(e.Data); };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    /// <summary>The service's own build output (bin/{Configuration}/net10.0), the one the demo runs.</summary>
    public static string DllPath
    {
        get
        {
            var configuration = new DirectoryInfo(AppContext.BaseDirectory).Parent!.Name; // bin/{Configuration}/net10.0/
            var path = Path.Combine(RepositoryPaths.Root, "CaAuthority", "Agents.CaAuthority", "bin", configuration, "net10.0", "Agents.CaAuthority.dll");
            return File.Exists(path) ? path : throw new FileNotFoundException($"the CA service is not built: {path} is missing", path);
        }
    }

    public int Id => _process.Id;

    public Task WaitForExitAsync(CancellationToken ct) => _process.WaitForExitAsync(ct);

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

    public string Output { get { lock (_output) return _output.ToString(); } }

    public static CaProcess Start(IEnumerable<string> args, string passphrase, IReadOnlyDictionary<string, string>? environment = null)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(DllPath);
        foreach (var arg in args) info.ArgumentList.Add(arg);
        info.Environment[CaFixture.PassphraseVariable] = passphrase;
        foreach (var (name, value) in environment ?? new Dictionary<string, string>()) info.Environment[name] = value;
        return new CaProcess(Process.Start(info) ?? throw new InvalidOperationException("could not start the CA process"));
    }

    /// <summary>SIGKILL: no chance to finish anything.</summary>
    public void Kill() => _process.Kill();

    /// <summary>SIGTERM, as systemd or the demo stops it.</summary>
    public async Task<bool> TerminateAsync(TimeSpan within)
    {
        await ProcessRunner.RunAsync("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        using var cts = new CancellationTokenSource(within);
        try { await _process.WaitForExitAsync(cts.Token); return true; }
        catch (OperationCanceledException) { return false; }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
    }
}
