using System.Globalization;
using System.Net;
using System.Security.Cryptography.X509Certificates;
using Agents.MailSink;
using Microsoft.Extensions.Configuration;
using SmtpServer;
using SmtpServer.Authentication;

// agents-mail-sink --host 127.0.0.1 --port 2525 --directory DIR [--tls starttls|implicit --certificate PEM --key PEM] [--user NAME]
// (the password in MAILSINK_PASSWORD). A real SMTP server for the demo, `./run up` and the tests.
var options = new MailSinkOptions();
try
{
    new ConfigurationBuilder().AddEnvironmentVariables("MAILSINK_").AddCommandLine(args).Build().Bind(options);
    options.Validate();
}
catch (Exception e) when (e is ArgumentException or InvalidOperationException or FormatException)
{
    await Console.Error.WriteLineAsync($"agents-mail-sink: {e.Message}");
    return 2;
}

Directory.CreateDirectory(options.Directory);
var certificate = options.Tls == MailSinkTls.None ? null : X509Certificate2.CreateFromPemFile(options.Certificate!, options.Key!);
var serverOptions = new SmtpServerOptionsBuilder()
    .ServerName("localhost")
    .Endpoint(endpoint =>
    {
        endpoint.Endpoint(new IPEndPoint(IPAddress.Parse(options.Host), options.Port))
            .IsSecure(options.Tls == MailSinkTls.Implicit)
            .AuthenticationRequired(options.User is not null)
            .AllowUnsecureAuthentication(false);
        if (certificate is not null) endpoint.Certificate(certificate);
    })
    .Build();
var services = new SmtpServer.ComponentModel.ServiceProvider();
services.Add(new DirectoryMessageStore(options));
services.Add(new DelegatingUserAuthenticator((user, password) => user == options.User && password == options.Password));
var server = new SmtpServer.SmtpServer(serverOptions, services);

// the conversation's commands (never their arguments: a login's secret stays out), for a failing test to show
var conversation = new StreamWriter(options.ConversationLog, append: true) { AutoFlush = true };
server.SessionCreated += (_, e) => e.Context.CommandExecuting += (_, c) =>
{
    lock (conversation) conversation.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{DateTime.UtcNow:O} {e.Context.SessionId} {c.Command.Name}"));
};

using var stop = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) => { e.Cancel = true; stop.Cancel(); };
AppDomain.CurrentDomain.ProcessExit += (_, _) => stop.Cancel();
var running = server.StartAsync(stop.Token);
Console.WriteLine($"mail sink listening on {options.Host}:{options.Port} ({options.Tls}{(options.User is null ? "" : ", login required")}), saving to {options.Directory}");
try
{
    await running.ConfigureAwait(false);
}
catch (OperationCanceledException)
{
    // stopped
}
return 0;
