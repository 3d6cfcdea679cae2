using System.Globalization;
using MimeKit;

namespace Agents.Testing;

/// <summary>
/// A real SMTP server as a process: the kit's agents-mail-sink (the SmtpServer library) on a free
/// port, saving each message as a .eml file in <see cref="Directory"/>. Plain, or with STARTTLS or
/// implicit TLS and a required login. It can be stopped and started again on the same port.
/// </summary>
public sealed class SmtpSink : IAsyncDisposable
{
    private readonly IReadOnlyList<string> _tlsArguments;
    private readonly string? _password;
    private ServiceProcess? _process;

    private SmtpSink(IReadOnlyList<string> tlsArguments, string? password)
    {
        _tlsArguments = tlsArguments;
        _password = password;
    }

    public int Port { get; } = FreePort.Next();
    public string Directory { get; } = Path.Combine(Path.GetTempPath(), "agents-smtp-" + Guid.NewGuid().ToString("N")[..8]);
    /// <summary>The commands of every SMTP conversation (names only, never a login's secret), one per line.</summary>
    public string ConversationLog => Directory.TrimEnd('/') + ".log";

    /// <summary>The build output of the mail sink (./run builds the solution).</summary>
    public static string Dll => ServiceProcess.DllOf("IntegrationTests/Agents.MailSink", "agents-mail-sink");

    /// <summary>The arguments of a plain sink on <paramref name="port"/> saving to <paramref name="directory"/> (the demo runs it so).</summary>
    public static IReadOnlyList<string> PlainArguments(int port, string directory) =>
        ["--host", "127.0.0.1", "--port", port.ToString(CultureInfo.InvariantCulture), "--directory", directory];

    public static async Task<SmtpSink> StartAsync()
    {
        var sink = new SmtpSink([], null);
        await sink.StartAgainAsync();
        return sink;
    }

    /// <summary>A server that requires TLS (STARTTLS, or from the first byte when <paramref name="implicitTls"/>; with this certificate) and a login before it takes a message.</summary>
    public static async Task<SmtpSink> StartWithTlsAndLoginAsync(string certificatePem, string keyPem, string user, string password, bool implicitTls = false)
    {
        var sink = new SmtpSink(["--tls", implicitTls ? "implicit" : "starttls", "--certificate", certificatePem, "--key", keyPem, "--user", user], password);
        await sink.StartAgainAsync();
        return sink;
    }

    public async Task StartAgainAsync()
    {
        var environment = _password is null ? new Dictionary<string, string>() : new Dictionary<string, string> { ["MAILSINK_PASSWORD"] = _password };
        _process = ServiceProcess.StartDotnet("smtp", Dll, [.. PlainArguments(Port, Directory), .. _tlsArguments],
            new ServiceProcessOptions { Environment = environment });
        await _process.WaitForOutputAsync("listening", 30);
    }

    public async Task StopAsync()
    {
        if (_process is null) return;
        await _process.KillAsync();
        await _process.DisposeAsync();
        _process = null;
    }

    /// <summary>Every message received so far, in the order received (the sink's file names sort so), read with MimeKit.</summary>
    public async Task<IReadOnlyList<ReceivedMail>> MailsAsync()
    {
        if (!System.IO.Directory.Exists(Directory)) return [];
        var mails = new List<ReceivedMail>();
        foreach (var file in new DirectoryInfo(Directory).GetFiles("*.eml").OrderBy(f => f.Name, StringComparer.Ordinal))
        {
            using var message = await MimeMessage.LoadAsync(file.FullName);
            mails.Add(new ReceivedMail(file.Name, message.Subject ?? "", [.. message.To.Mailboxes.Select(m => m.Address)],
                message.Headers["X-Envelope-To"] ?? "", string.Join(", ", message.From.Mailboxes.Select(m => m.Address)), message.MessageId ?? "", message.TextBody ?? "")
            {
                AuthenticatedAs = message.Headers["X-Authenticated-As"],
                Tls = message.Headers["X-Tls"],
            });
        }
        return mails;
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        try { System.IO.Directory.Delete(Directory, recursive: true); }
        catch (IOException) { /* a temp folder left behind is harmless */ }
        File.Delete(ConversationLog);
    }
}
