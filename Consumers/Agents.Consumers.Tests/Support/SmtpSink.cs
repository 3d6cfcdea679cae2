using System.Diagnostics;
using System.Text.Json;
using Agents.Testing;

namespace Agents.Consumers.Tests.Support;

/// <summary>
/// A real SMTP server: the demo's smtp_sink.py (python3-aiosmtpd) on a free port, saving each
/// message as a .eml file. It can be stopped and started again on the same port.
/// </summary>
public sealed class SmtpSink : IAsyncDisposable
{
    private readonly string _script;
    private readonly IReadOnlyList<string> _extraArgs;
    private Process? _process;

    private SmtpSink(string script, IReadOnlyList<string> extraArgs)
    {
        _script = script;
        _extraArgs = extraArgs;
    }

    public int Port { get; } = FreePort.Next();
    public string Directory { get; } = Path.Combine(Path.GetTempPath(), "agents-smtp-" + Guid.NewGuid().ToString("N")[..8]);

    public static async Task<SmtpSink> StartAsync()
    {
        var sink = new SmtpSink(Path.Combine(RepositoryPaths.Root, "Demo", "Agents.Demo", "smtp_sink.py"), []);
        await sink.StartAgainAsync();
        return sink;
    }

    /// <summary>A server that requires TLS (STARTTLS, or from the first byte when <paramref name="implicitTls"/>; with this certificate) and a login before it takes a message.</summary>
    public static async Task<SmtpSink> StartWithTlsAndLoginAsync(string certificatePem, string keyPem, string user, string password, bool implicitTls = false)
    {
        var sink = new SmtpSink(Path.Combine(AppContext.BaseDirectory, "Support", "smtp_tls_sink.py"), [certificatePem, keyPem, user, password, implicitTls ? "implicit" : "starttls"]);
        await sink.StartAgainAsync();
        return sink;
    }

    public async Task StartAgainAsync()
    {
        var info = new ProcessStartInfo("/usr/bin/python3") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(_script);
        info.ArgumentList.Add("127.0.0.1");
        info.ArgumentList.Add(Port.ToString(System.Globalization.CultureInfo.InvariantCulture));
        info.ArgumentList.Add(Directory);
        foreach (var arg in _extraArgs) info.ArgumentList.Add(arg);
        info.Environment["PYTHONPATH"] = Path.Combine(RepositoryPaths.Root, "Demo", "Agents.Demo"); // smtp_tls_sink.py builds on smtp_sink.py
        _process = Process.Start(info) ?? throw new InvalidOperationException("could not start python3 smtp_sink.py");
        var ready = await _process.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(30));
        if (ready is null || !ready.Contains("listening", StringComparison.Ordinal))
            throw new InvalidOperationException($"smtp_sink.py did not start: {ready} {await _process.StandardError.ReadToEndAsync()}");
    }

    public async Task StopAsync()
    {
        if (_process is null) return;
        if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
        _process.Dispose();
        _process = null;
    }

    /// <summary>Every message received so far, in the order received, decoded with Python's email package.</summary>
    public async Task<IReadOnlyList<ReceivedMail>> MailsAsync()
    {
        if (!System.IO.Directory.Exists(Directory)) return [];
        const string decode = """
            import email, email.policy, glob, json, os, sys
            for path in sorted(glob.glob(os.path.join(sys.argv[1], '*.eml')), key=os.path.getmtime):
                m = email.message_from_binary_file(open(path, 'rb'), policy=email.policy.default)
                print(json.dumps({'file': os.path.basename(path), 'subject': str(m['subject']), 'to': [a.addr_spec for a in m['to'].addresses],
                                  'envelopeTo': str(m['X-Envelope-To']), 'authenticatedAs': str(m['X-Authenticated-As']), 'tls': str(m['X-Tls']), 'from': str(m['from']), 'messageId': str(m['message-id']),
                                  'body': m.get_body(('plain',)).get_content()}))
            """;
        var result = await ProcessRunner.RunAsync("/usr/bin/python3", ["-c", decode, Directory]);
        if (result.ExitCode != 0) throw new InvalidOperationException($"could not read the mails: {result.Output}");
        return result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => JsonSerializer.Deserialize<ReceivedMail>(line, JsonOptions)!)
            .ToList();
    }

    private static readonly JsonSerializerOptions JsonOptions = new() { PropertyNameCaseInsensitive = true };

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        try { System.IO.Directory.Delete(Directory, recursive: true); }
        catch (IOException) { /* a temp folder left behind is harmless */ }
    }
}

public sealed record ReceivedMail(string File, string Subject, IReadOnlyList<string> To, string EnvelopeTo, string From, string MessageId, string Body)
{
    /// <summary>The login the server accepted ("None" for a server without AUTH).</summary>
    public string? AuthenticatedAs { get; init; }
    /// <summary>"yes" when the message came over STARTTLS.</summary>
    public string? Tls { get; init; }
}
