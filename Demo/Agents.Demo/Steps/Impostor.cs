using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Agents.Contracts.Commands;
using Agents.Contracts.Protocol;

namespace Agents.Demo.Steps;

/// <summary>
/// Someone who is not the cloud: a root CA of its own and a certificate from it naming a real VM
/// (the same URI SAN the cloud CA writes), used to dial the router as that VM's agent would.
/// </summary>
public static class Impostor
{
    /// <summary>Tries a session as <paramref name="vmId"/>; returns how the router answered ("refused: …"), or "session" if it took it.</summary>
    public static async Task<string> TryToBeAsync(string vmId, int routerPort)
    {
        using var certificate = CertificateNaming(vmId);
        using var tcp = new TcpClient();
        await tcp.ConnectAsync("127.0.0.1", routerPort);
        await using var tls = new SslStream(tcp.GetStream(), leaveInnerStreamOpen: false);
        try
        {
            await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
            {
                TargetHost = "router",
                ClientCertificates = [certificate],
                // the impostor does not care who the router is
                RemoteCertificateValidationCallback = (_, _, _, _) => true,
            });
            // with TLS 1.3 the router's verdict on our certificate arrives with the first read
            await using var connection = new FrameConnection(tls, new FrameCodec());
            await connection.WriteAsync(new HelloFrame(HelloFrame.CurrentProtocolVersion, "impostor", ["ResetVmPassword"]), CancellationToken.None);
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            var answer = await connection.ReadAsync(timeout.Token);
            return answer is null ? "refused: the router closed the connection" : "session";
        }
        catch (Exception e) when (e is IOException or System.Security.Authentication.AuthenticationException or OperationCanceledException)
        {
            return $"refused: {e.Message}";
        }
    }

    private static X509Certificate2 CertificateNaming(string vmId)
    {
        using var rootKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var rootRequest = new CertificateRequest("CN=Not The Cloud Root CA", rootKey, HashAlgorithmName.SHA256);
        rootRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        using var root = rootRequest.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-10), DateTimeOffset.UtcNow.AddDays(2));

        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN=vm-{vmId}", key, HashAlgorithmName.SHA256);
        var san = new SubjectAlternativeNameBuilder();
        san.AddUri(new Uri($"urn:cloudstack:vm:{vmId}"));
        request.CertificateExtensions.Add(san.Build());
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.2")], false));
        using var leaf = request.Create(root, DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1), RandomNumberGenerator.GetBytes(12));
        // a PFX round trip so the key is usable by SslStream on Linux
        using var withKey = leaf.CopyWithPrivateKey(key);
        return X509CertificateLoader.LoadPkcs12(withKey.Export(X509ContentType.Pfx), null);
    }
}
