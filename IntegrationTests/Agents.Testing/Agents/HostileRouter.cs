using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using Agents.Security.Identity;

namespace Agents.Testing;

/// <summary>A router that answers every agent connection with one kind of bad frame, then closes.</summary>
public sealed class HostileRouter : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly X509Certificate2 _certificate;
    private readonly Task _loop;
    private int _connections;

    public HostileRouter(TestPki pki)
    {
        _certificate = pki.IssueWithKey(HolderIdentity.Router("hostile"));
        _listener.Start();
        _loop = Task.Run(LoopAsync);
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;
    public int Connections => Volatile.Read(ref _connections);

    private async Task LoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try { client = await _listener.AcceptTcpClientAsync(_stop.Token); }
            catch (OperationCanceledException) { return; }
            var n = Interlocked.Increment(ref _connections);
            try
            {
                using (client)
                await using (var ssl = new SslStream(client.GetStream(), false))
                {
                    await ssl.AuthenticateAsServerAsync(new SslServerAuthenticationOptions
                    {
                        ServerCertificateContext = SslStreamCertificateContext.Create(_certificate, null, offline: true),
                        ClientCertificateRequired = true,
                        RemoteCertificateValidationCallback = (_, _, _, _) => true,
                    }, _stop.Token);
                    var bad = (n % 3) switch { 1 => RawTls.Garbage(), 2 => RawTls.Truncated(), _ => RawTls.Oversized() };
                    await ssl.WriteAsync(bad, _stop.Token);
                    await ssl.FlushAsync(_stop.Token);
                    await Task.Delay(200, _stop.Token);
                }
            }
            catch (Exception e) when (e is IOException or AuthenticationException or OperationCanceledException) { }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _loop;
        _certificate.Dispose();
    }
}
