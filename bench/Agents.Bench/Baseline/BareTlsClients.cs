using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;

namespace Agents.Bench.Baseline;

/// <summary>
/// Idle mutual-TLS clients for <see cref="BareTlsServer"/>: each a socket and an <see cref="SslStream"/>
/// presenting an agent certificate of the bench CA, connected in waves of 250 as the agent fleet
/// connects, then idle as an agent is: every 30 s a record the size of a heartbeat frame, which
/// the server echoes (so the baseline's idle CPU carries the same TLS traffic as the bridge's).
/// </summary>
public sealed class BareTlsClients(X509Certificate2 clientCertificate, X509Certificate2 root, int port) : IAsyncDisposable
{
    private const int Wave = 250;
    /// <summary>A heartbeat frame's size on the wire (4-byte length and its JSON).</summary>
    private const int HeartbeatBytes = 56;
    private static readonly TimeSpan HeartbeatInterval = TimeSpan.FromSeconds(30);
    private readonly List<SslStream> _connections = [];
    private readonly List<Task> _heartbeats = [];
    private readonly CancellationTokenSource _stop = new();

    public int Count => _connections.Count;

    public async Task GrowToAsync(int total)
    {
        while (_connections.Count < total)
        {
            var wave = Math.Min(Wave, total - _connections.Count);
            var connected = await Task.WhenAll(Enumerable.Range(0, wave).Select(_ => ConnectAsync()));
            _connections.AddRange(connected);
            _heartbeats.AddRange(connected.Select(c => HeartbeatAsync(c, _stop.Token)));
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

    private static async Task HeartbeatAsync(SslStream connection, CancellationToken ct)
    {
        var beat = new byte[HeartbeatBytes];
        try
        {
            while (true)
            {
                await Task.Delay(HeartbeatInterval, ct);
                await connection.WriteAsync(beat, ct);
                await connection.ReadExactlyAsync(beat, ct);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or ObjectDisposedException)
        {
        }
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
        await _stop.CancelAsync();
        await Task.WhenAll(_heartbeats);
        _stop.Dispose();
        foreach (var connection in _connections) await connection.DisposeAsync();
        _connections.Clear();
    }
}
