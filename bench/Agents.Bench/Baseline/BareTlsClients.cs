using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;

namespace Agents.Bench.Baseline;

/// <summary>
/// Idle mutual-TLS clients for <see cref="BareTlsServer"/>: each a socket and an <see cref="SslStream"/>
/// presenting an agent certificate of the bench CA, connected in waves of 250 as the agent fleet
/// connects, then silent (no frames, no heartbeats).
/// </summary>
public sealed class BareTlsClients(X509Certificate2 clientCertificate, X509Certificate2 root, int port) : IAsyncDisposable
{
    private const int Wave = 250;
    private readonly List<SslStream> _connections = [];

    public int Count => _connections.Count;

    public async Task GrowToAsync(int total)
    {
        while (_connections.Count < total)
        {
            var wave = Math.Min(Wave, total - _connections.Count);
            _connections.AddRange(await Task.WhenAll(Enumerable.Range(0, wave).Select(_ => ConnectAsync())));
        }
    }

    private async Task<SslStream> ConnectAsync()
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        await socket.ConnectAsync(System.Net.IPAddress.Loopback, port);
        var ssl = new SslStream(new NetworkStream(socket, ownsSocket: true));
        await ssl.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
        {
            TargetHost = "cloudstack-router",
            EnabledSslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13,
            ClientCertificates = [clientCertificate],
            CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
            RemoteCertificateValidationCallback = (_, presented, _, _) => presented is not null && ChainsTo(presented),
        });
        return ssl;
    }

    private bool ChainsTo(X509Certificate presented)
    {
        using var certificate = new X509Certificate2(presented);
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(root);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        return chain.Build(certificate);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var connection in _connections) await connection.DisposeAsync();
        _connections.Clear();
    }
}
