using System.Buffers.Binary;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Agents.Security.Identity;
using Agents.VmAgent.Core.Identity;

namespace Agents.VmAgent.Tests.Support;

/// <summary>Hand-made TLS peers that send what a real agent or router never would.</summary>
public static class RawTls
{
    public static async Task<SslStream> ConnectAsync(int port, X509Certificate2? clientCertificate)
    {
        var tcp = new TcpClient(AddressFamily.InterNetwork);
        await tcp.ConnectAsync(IPAddress.Loopback, port);
        var ssl = new SslStream(tcp.GetStream(), false);
        await ssl.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
        {
            TargetHost = "cloudstack-router",
            EnabledSslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13,
            RemoteCertificateValidationCallback = (_, _, _, _) => true,
            ClientCertificateContext = clientCertificate is null ? null : SslStreamCertificateContext.Create(clientCertificate, null, offline: true),
        });
        return ssl;
    }

    public static byte[] Garbage() => Prefixed(Encoding.UTF8.GetBytes("this is not json {{{"));

    /// <summary>A header announcing 100 bytes, then 10 bytes, then the end.</summary>
    public static byte[] Truncated()
    {
        var bytes = new byte[14];
        BinaryPrimitives.WriteInt32BigEndian(bytes, 100);
        return bytes;
    }

    public static byte[] Oversized()
    {
        var bytes = new byte[4];
        BinaryPrimitives.WriteInt32BigEndian(bytes, 1 << 30);
        return bytes;
    }

    private static byte[] Prefixed(byte[] body)
    {
        var buffer = new byte[4 + body.Length];
        BinaryPrimitives.WriteInt32BigEndian(buffer, body.Length);
        body.CopyTo(buffer, 4);
        return buffer;
    }

    /// <summary>Gives an agent data directory a certificate, as if it had enrolled.</summary>
    public static void PreEnroll(TestPki pki, string dataDirectory, string vmId)
    {
        var store = new AgentIdentityStore(dataDirectory, new TrustAnchor(pki.Root));
        var (key, csr) = AgentIdentityStore.NewKeyAndCsr();
        using (key) store.Save(key, pki.IssueFromCsr(csr, HolderIdentity.Vm(vmId), TimeSpan.FromDays(1)), pki.RootPem).Dispose();
    }
}

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
