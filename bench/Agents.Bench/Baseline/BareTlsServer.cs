using System.Buffers;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;

namespace Agents.Bench.Baseline;

/// <summary>
/// The baseline for the bridge's memory per idle agent: the least a .NET server can hold per
/// mutual-TLS connection. A plain <see cref="SslStream"/> on a socket, the router's certificate
/// from a bridge data directory (router.crt, router.key, ca.crt, as <c>TestPki.EnrollRouter</c>
/// writes them), client certificates required and chained to that root; after the handshake each
/// connection waits with a zero-byte read (no receive buffer while idle) and echoes what comes
/// (the clients' heartbeat-sized records).
/// No framing, no sessions, no registry, no broker. Run as its own process
/// (<c>Agents.Bench.dll --bare-tls-server &lt;data directory&gt; &lt;port&gt;</c>), so its resident
/// memory compares with the bridge process's.
/// </summary>
public static class BareTlsServer
{
    public const string Argument = "--bare-tls-server";
    public const string Ready = "bare TLS server listening";

    public static async Task RunAsync(string dataDirectory, int port)
    {
        using var certificate = X509Certificate2.CreateFromPemFile(Path.Combine(dataDirectory, "router.crt"), Path.Combine(dataDirectory, "router.key"));
        using var root = X509Certificate2.CreateFromPem(File.ReadAllText(Path.Combine(dataDirectory, "ca.crt")));
        var options = new SslServerAuthenticationOptions
        {
            ServerCertificateContext = SslStreamCertificateContext.Create(certificate, null),
            EnabledSslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13,
            ClientCertificateRequired = true,
            CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
            RemoteCertificateValidationCallback = (_, presented, _, _) => presented is not null && ChainsTo(root, presented),
        };
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, port));
        listener.Listen(1024);
        Console.WriteLine($"{Ready} on {listener.LocalEndPoint}");
        while (true)
        {
            var client = await listener.AcceptAsync();
            _ = ServeAsync(client, options);
        }
    }

    private static async Task ServeAsync(Socket client, SslServerAuthenticationOptions options)
    {
        client.NoDelay = true;
        await using var ssl = new SslStream(new NetworkStream(client, ownsSocket: true));
        try
        {
            await ssl.AuthenticateAsServerAsync(options);
            while (true)
            {
                // returns once data is there, reading none of it: no buffer is held while the peer is silent
                _ = await ssl.ReadAsync(Memory<byte>.Empty);
                var buffer = ArrayPool<byte>.Shared.Rent(4096);
                try
                {
                    var read = await ssl.ReadAsync(buffer);
                    if (read == 0) return;
                    await ssl.WriteAsync(buffer.AsMemory(0, read));
                }
                finally
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                }
            }
        }
        catch (Exception e) when (e is IOException or AuthenticationException or SocketException)
        {
        }
    }

    private static bool ChainsTo(X509Certificate2 root, X509Certificate presented)
    {
        using var certificate = new X509Certificate2(presented);
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(root);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.DisableCertificateDownloads = true;
        return chain.Build(certificate);
    }
}
