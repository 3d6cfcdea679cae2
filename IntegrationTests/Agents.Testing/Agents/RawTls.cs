using System.Buffers.Binary;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace Agents.Testing;

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
}
