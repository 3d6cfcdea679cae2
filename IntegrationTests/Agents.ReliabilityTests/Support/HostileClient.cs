using System.Buffers.Binary;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using Agents.Contracts.Commands;
using Agents.Contracts.Protocol;
using Agents.VmAgent.Tests.Support;

namespace Agents.ReliabilityTests.Support;

/// <summary>What a hostile peer sends to the agent port, byte by byte.</summary>
public static class HostileClient
{
    public static byte[] Framed(byte[] body)
    {
        var buffer = new byte[4 + body.Length];
        BinaryPrimitives.WriteInt32BigEndian(buffer, body.Length);
        body.CopyTo(buffer, 4);
        return buffer;
    }

    public static byte[] Header(int length)
    {
        var buffer = new byte[4];
        BinaryPrimitives.WriteInt32BigEndian(buffer, length);
        return buffer;
    }

    /// <summary>Frames that are wrong after a TLS handshake, by name; random ones take the generator.</summary>
    public static IReadOnlyList<(string Name, Func<Random, byte[]> Bytes)> BadFrames { get; } =
    [
        ("garbage JSON frame", _ => RawTls.Garbage()),
        ("truncated frame", _ => RawTls.Truncated()),
        ("oversized frame header (1 GiB)", _ => RawTls.Oversized()),
        ("negative frame length", _ => Header(int.MinValue)),
        ("zero frame length", _ => Header(0)),
        ("unknown frame type", _ => Framed(Encoding.UTF8.GetBytes("""{"type":"format-disk","all":true}"""))),
        ("command frame from an agent", _ => new FrameCodec().Encode(new CommandFrame(Guid.NewGuid(), Guid.NewGuid(), "RunRecipe", JsonDocument.Parse("{}").RootElement, 1))),
        ("JSON nested 10000 deep", _ => Framed(Encoding.UTF8.GetBytes(new string('[', 10_000) + new string(']', 10_000)))),
        ("random bytes", r => { var b = new byte[r.Next(1, 2048)]; r.NextBytes(b); return b; }),
        ("hello, then a garbage frame", _ => [.. new FrameCodec().Encode(new HelloFrame(1, "fuzz", [])), .. RawTls.Garbage()]),
    ];

    /// <summary>Not TLS at all, to the TLS port.</summary>
    public static IReadOnlyList<(string Name, byte[] Bytes)> Plaintext { get; } =
    [
        ("HTTP request", Encoding.ASCII.GetBytes("GET / HTTP/1.1\r\nHost: router\r\n\r\n")),
        ("AMQP protocol header", [(byte)'A', (byte)'M', (byte)'Q', (byte)'P', 0, 0, 9, 1]),
        ("SSH banner", Encoding.ASCII.GetBytes("SSH-2.0-OpenSSH_9.6\r\n")),
        ("a JSON frame without TLS", new FrameCodec().Encode(new HelloFrame(1, "plain", []))),
        ("TLS alert record", [0x15, 0x03, 0x03, 0x00, 0x02, 0x02, 0x28]),
        ("SSLv2 hello", [0x80, 0x2e, 0x01, 0x00, 0x02, 0x00, 0x15, 0x00, 0x00, 0x00, 0x10]),
    ];

    /// <summary>The first bytes of a TLS ClientHello, then nothing.</summary>
    public static byte[] PartialClientHello { get; } = [0x16, 0x03, 0x01, 0x02, 0x00, 0x01, 0x00, 0x01, 0xfc, 0x03, 0x03];

    public static async Task<TcpClient> TcpAsync(int port)
    {
        var tcp = new TcpClient(AddressFamily.InterNetwork);
        await tcp.ConnectAsync(IPAddress.Loopback, port);
        return tcp;
    }

    public static async Task<SslStream> TlsAsync(int port, X509Certificate2? certificate)
    {
        var tcp = await TcpAsync(port);
        var ssl = new SslStream(tcp.GetStream(), false);
        await ssl.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
        {
            TargetHost = "cloudstack-router",
            EnabledSslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13,
            RemoteCertificateValidationCallback = (_, _, _, _) => true,
            ClientCertificateContext = certificate is null ? null : SslStreamCertificateContext.Create(certificate, null, offline: true),
        });
        return ssl;
    }

    /// <summary>True when the other end closed (or reset) the connection within <paramref name="within"/>.</summary>
    public static async Task<bool> ClosedByPeerAsync(Stream stream, TimeSpan within)
    {
        var buffer = new byte[4096];
        using var timeout = new CancellationTokenSource(within);
        try
        {
            while (await stream.ReadAsync(buffer, timeout.Token) > 0) { }
            return true;
        }
        catch (OperationCanceledException) { return false; }
        catch (Exception e) when (e is IOException or SocketException or AuthenticationException or ObjectDisposedException) { return true; }
    }
}
