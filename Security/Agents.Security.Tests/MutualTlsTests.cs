using System.Net;
using System.Net.Security;
using System.Security.Authentication;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Agents.Security.Tls;

namespace Agents.Security.Tests;

/// <summary>The strictness matrix over real TLS on loopback: what a server admits, by certificate and policy.</summary>
public sealed class MutualTlsTests : IDisposable
{
    private readonly Pki _pki = new();

    public static TheoryData<string, bool, bool, string> Matrix()
    {
        var data = new TheoryData<string, bool, bool, string>();
        foreach (var strict in new[] { true, false })
            foreach (var allowExpired in new[] { true, false })
            {
                data.Add("good", strict, allowExpired, "trusted");
                data.Add("revoked", strict, allowExpired, "refused");
                data.Add("impostor", strict, allowExpired, "refused");
                data.Add("expired", strict, allowExpired, allowExpired ? "trusted" : "refused");
                data.Add("none", strict, allowExpired, strict ? "refused" : "anonymous");
            }
        return data;
    }

    [Theory]
    [MemberData(nameof(Matrix))]
    public async Task the_server_admits_a_client_by_its_certificate_and_the_policy(string client, bool strict, bool allowExpired, string expected)
    {
        var revoked = new RevocationSet();
        var certificate = Client(client, revoked);

        var outcome = await HandshakeAsync(certificate, new MutualTlsPolicy(strict, allowExpired), revoked);

        Assert.Equal(expected, outcome);
    }

    [Theory]
    [InlineData("good", "trusted")]
    [InlineData("revoked", "refused")]
    [InlineData("impostor", "refused")]
    [InlineData("expired", "refused")]
    [InlineData("none", "anonymous")]
    public async Task with_anonymous_enrollment_a_strict_server_lets_only_a_client_without_a_certificate_through_as_anonymous(string client, string expected)
    {
        var revoked = new RevocationSet();
        var certificate = Client(client, revoked);

        Assert.Equal(expected, await HandshakeAsync(certificate, new MutualTlsPolicy(Strict: true, AnonymousEnrollment: true), revoked));
    }

    /// <summary>The client's certificate by name ("none": null); a "revoked" one is put in <paramref name="revoked"/>.</summary>
    private X509Certificate2? Client(string client, RevocationSet revoked)
    {
        var certificate = client switch
        {
            "good" => _pki.Leaf("good"),
            "revoked" => _pki.Leaf("revoked"),
            "impostor" => _pki.Impostor(),
            "expired" => _pki.Leaf("expired", expired: true),
            _ => null,
        };
        if (client == "revoked") revoked.Revoke(certificate!.SerialNumber);
        return certificate;
    }

    [Fact]
    public async Task a_certificate_revoked_after_it_was_admitted_is_refused_on_the_next_handshake()
    {
        var revoked = new RevocationSet();
        var certificate = _pki.Leaf("later-revoked");
        Assert.Equal("trusted", await HandshakeAsync(certificate, new MutualTlsPolicy(), revoked));

        revoked.Revoke(certificate.SerialNumber);

        Assert.Equal("refused", await HandshakeAsync(certificate, new MutualTlsPolicy(), revoked));
    }

    [Fact]
    public void a_crl_signed_by_the_root_fills_the_set_and_a_forged_one_is_rejected()
    {
        var leaf = _pki.Leaf("in-crl");
        var builder = new CertificateRevocationListBuilder();
        builder.AddEntry(leaf, DateTimeOffset.UtcNow, X509RevocationReason.KeyCompromise);
        var crl = builder.Build(_pki.Root, 42, DateTimeOffset.UtcNow.AddHours(1), HashAlgorithmName.SHA256);
        var set = new RevocationSet();

        Assert.Equal(42, set.Load(crl, _pki.Root));
        Assert.True(set.IsRevoked(leaf));

        var forged = (byte[])crl.Clone();
        forged[^5] ^= 0x01;
        Assert.Throws<CryptographicException>(() => new RevocationSet().Load(forged, _pki.Root));
        using var otherRoot = new Pki();
        Assert.Throws<CryptographicException>(() => new RevocationSet().Load(crl, otherRoot.Root));
    }

    /// <summary>"trusted", "anonymous" or "refused", as the server saw it and the client could use it.</summary>
    private async Task<string> HandshakeAsync(X509Certificate2? clientCertificate, MutualTlsPolicy policy, RevocationSet revoked)
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var server = Task.Run(async () =>
        {
            using var socket = await listener.AcceptTcpClientAsync();
            await using var tls = new SslStream(socket.GetStream());
            try
            {
                await tls.AuthenticateAsServerAsync(MutualTls.ServerOptions(() => _pki.Server, () => _pki.Root, policy, revoked));
                await tls.WriteAsync(tls.RemoteCertificate is null ? "anonymous\n"u8.ToArray() : "trusted\n"u8.ToArray());
                await tls.FlushAsync();
            }
            catch (AuthenticationException) { }
            catch (IOException) { }
        });
        using var client = new TcpClient();
        await client.ConnectAsync(IPAddress.Loopback, ((IPEndPoint)listener.LocalEndpoint).Port);
        await using var stream = new SslStream(client.GetStream());
        string outcome;
        try
        {
            await stream.AuthenticateAsClientAsync(MutualTls.ClientOptions("router", () => clientCertificate, () => _pki.Root, new MutualTlsPolicy(), new RevocationSet()));
            // TLS 1.3: a refused client certificate shows on the first read
            var buffer = new byte[32];
            var read = await stream.ReadAsync(buffer).AsTask().WaitAsync(TimeSpan.FromSeconds(10));
            outcome = read == 0 ? "refused" : System.Text.Encoding.ASCII.GetString(buffer, 0, read).Trim();
        }
        catch (Exception e) when (e is AuthenticationException or IOException) { outcome = "refused"; }
        await server.WaitAsync(TimeSpan.FromSeconds(10));
        return outcome;
    }

    public void Dispose() => _pki.Dispose();

    private sealed class Pki : IDisposable
    {
        private readonly ECDsa _rootKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        public X509Certificate2 Root { get; }
        public X509Certificate2 Server { get; }

        public Pki()
        {
            var request = new CertificateRequest("CN=Test Root", _rootKey, HashAlgorithmName.SHA256);
            request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
            request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
            request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
            Root = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-10), DateTimeOffset.UtcNow.AddYears(1));
            Server = Leaf("router");
        }

        public X509Certificate2 Leaf(string name, bool expired = false) => Sign(name, Root, _rootKey, expired);

        /// <summary>Same name, but from a root of its own.</summary>
        public X509Certificate2 Impostor()
        {
            using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            var request = new CertificateRequest("CN=Test Root", key, HashAlgorithmName.SHA256);
            request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
            using var fakeRoot = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));
            return Sign("good", fakeRoot, key, expired: false);
        }

        private static X509Certificate2 Sign(string name, X509Certificate2 issuer, ECDsa issuerKey, bool expired)
        {
            using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            var request = new CertificateRequest($"CN={name}", key, HashAlgorithmName.SHA256);
            request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
            request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1"), new Oid("1.3.6.1.5.5.7.3.2")], false));
            var san = new SubjectAlternativeNameBuilder();
            san.AddDnsName(name);
            request.CertificateExtensions.Add(san.Build());
            var notBefore = expired ? DateTimeOffset.UtcNow.AddDays(-3) : DateTimeOffset.UtcNow.AddMinutes(-5);
            var notAfter = expired ? DateTimeOffset.UtcNow.AddDays(-1) : DateTimeOffset.UtcNow.AddDays(1);
            var serial = RandomNumberGenerator.GetBytes(16);
            serial[0] &= 0x7F;
            using var cert = request.Create(issuer.SubjectName, X509SignatureGenerator.CreateForECDsa(issuerKey), notBefore, notAfter, serial);
            using var withKey = cert.CopyWithPrivateKey(key);
            // SslStream on Linux wants a key that survived a PKCS#12 round trip
            return X509CertificateLoader.LoadPkcs12(withKey.Export(X509ContentType.Pkcs12), null);
        }

        public void Dispose()
        {
            Root.Dispose();
            Server.Dispose();
            _rootKey.Dispose();
        }
    }
}
