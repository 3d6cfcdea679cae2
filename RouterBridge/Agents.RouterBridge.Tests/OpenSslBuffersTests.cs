using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using Agents.RouterBridge.Core.Agents;
using Agents.Security.Identity;
using Agents.Testing;

namespace Agents.RouterBridge.Tests;

/// <summary>
/// The bridge's OpenSSL session mode (SSL_MODE_RELEASE_BUFFERS) on the runtime and OpenSSL of this
/// machine: it applies, and a mutual-TLS connection with it set during the handshake still carries
/// records of every size both ways, idle between them (buffers freed and allocated again).
/// </summary>
public sealed class OpenSslBuffersTests : TempPkiTest
{
    [Fact]
    public async Task the_mode_applies_here_and_a_connection_with_it_carries_records_both_ways()
    {
        using var serverCertificate = Pki.IssueWithKey(HolderIdentity.Router("router-1"));
        using var clientCertificate = Pki.IssueWithKey(HolderIdentity.Vm("vm-1"));
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(1);
        var released = false;

        var accepting = listener.AcceptAsync();
        using var clientSocket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await clientSocket.ConnectAsync((IPEndPoint)listener.LocalEndPoint!);
        await using var server = new SslStream(new NetworkStream(await accepting, ownsSocket: true));
        await using var client = new SslStream(new NetworkStream(clientSocket, ownsSocket: false));
        var handshake = server.AuthenticateAsServerAsync(new SslServerAuthenticationOptions
        {
            ServerCertificate = serverCertificate,
            ClientCertificateRequired = true,
            RemoteCertificateValidationCallback = (sender, certificate, _, _) =>
            {
                released = OpenSslBuffers.Release((SslStream)sender);
                return certificate is not null;
            },
        });
        await client.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
        {
            TargetHost = "cloudstack-router",
            ClientCertificates = [clientCertificate],
            RemoteCertificateValidationCallback = (_, certificate, _, _) => certificate is X509Certificate2 c && Pki.ChainsToRoot(c),
        });
        await handshake;

        Assert.True(released, "SSL_MODE_RELEASE_BUFFERS did not apply: the runtime's SslStream internals or its OpenSSL differ from what OpenSslBuffers expects");
        foreach (var size in new[] { 1, 5, 16 * 1024, 16 * 1024 + 1, 200_000 })
        {
            var sent = Enumerable.Range(0, size).Select(i => (byte)(i * 7 + size)).ToArray();
            await client.WriteAsync(sent);
            Assert.Equal(sent, await ReadExactlyAsync(server, size));
            await server.WriteAsync(sent);
            Assert.Equal(sent, await ReadExactlyAsync(client, size));
        }
    }

    private static async Task<byte[]> ReadExactlyAsync(SslStream stream, int size)
    {
        // the zero-byte read first, as the bridge reads: no buffer while nothing has come
        _ = await stream.ReadAsync(Memory<byte>.Empty);
        var buffer = new byte[size];
        await stream.ReadExactlyAsync(buffer);
        return buffer;
    }
}
