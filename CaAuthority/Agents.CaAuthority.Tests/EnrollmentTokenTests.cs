using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Agents.CaAuthority.Store;
using Agents.CaAuthority.Tests.Support;
using Agents.CaAuthority.Tokens;
using Agents.Contracts.Ca;
using Agents.Messaging.Rpc;
using Agents.Security.Identity;

namespace Agents.CaAuthority.Tests;

[Collection(CaCollection.Name)]
public sealed class EnrollmentTokenTests(CaFixture ca)
{
    private const string Bridge = CaFixture.BridgeUser;

    [Fact]
    public async Task a_token_enrolls_its_holder_once_and_a_second_use_is_refused()
    {
        var holder = "urn:cloudstack:vm:" + Guid.NewGuid();
        var token = await ca.Client().CallCaAsync<EnrollmentTokenCreated>(new CreateEnrollmentToken { Holder = holder, RouterId = CaFixture.BridgeRouterId });
        var bridge = ca.Client(Bridge);

        var issued = await bridge.CallCaAsync<CertificateIssued>(new EnrollHolder { Token = token.Token, Csr = Csr() });
        var again = await Assert.ThrowsAsync<CaRequestRefusedException>(() =>
            bridge.CallCaAsync<CertificateIssued>(new EnrollHolder { Token = token.Token, Csr = Csr() }));

        using var leaf = X509Certificate2.CreateFromPem(issued.Certificate);
        Assert.Equal(holder, HolderIdentity.FromCertificate(leaf)?.Uri);
        Assert.Equal(CaFixture.BridgeRouterId, (await ca.Store.FindAsync(issued.SerialNumber))!.RouterId);
        Assert.Contains("already used", again.Message, StringComparison.Ordinal);
        Assert.Equal(holder, (await ca.Client().CallCaAsync<HolderCertificate>(new GetHolderCertificate { Holder = holder })).Holder);
    }

    [Fact]
    public async Task the_ca_keeps_only_the_hash_of_a_token()
    {
        var token = await ca.Client().CallCaAsync<EnrollmentTokenCreated>(new CreateEnrollmentToken { Holder = "urn:cloudstack:vm:" + Guid.NewGuid() });
        Assert.NotNull(await ca.Store.FindTokenAsync(EnrollmentTokens.Hash(token.Token)));
        Assert.Null(await ca.Store.FindTokenAsync(token.Token));
        var db = await File.ReadAllBytesAsync(Path.Combine(ca.DataDirectory, "ca.db"));
        var wal = Path.Combine(ca.DataDirectory, "ca.db-wal");
        var all = db.Concat(File.Exists(wal) ? await ReadSharedAsync(wal) : []).ToArray();
        Assert.DoesNotContain(token.Token, System.Text.Encoding.ASCII.GetString(all), StringComparison.Ordinal);
    }

    [Fact]
    public async Task an_expired_token_is_refused_and_issues_nothing()
    {
        var token = EnrollmentTokens.New();
        await ca.Store.AddTokenAsync(new EnrollmentTokenRecord(EnrollmentTokens.Hash(token), "urn:cloudstack:vm:" + Guid.NewGuid(), null,
            DateTimeOffset.UtcNow.AddSeconds(-1), null));
        var before = await ca.Store.CountAsync();

        var refused = await Assert.ThrowsAsync<CaRequestRefusedException>(() =>
            ca.Client(Bridge).CallCaAsync<CertificateIssued>(new EnrollHolder { Token = token, Csr = Csr() }));

        Assert.Contains("expired", refused.Message, StringComparison.Ordinal);
        Assert.Equal(before, await ca.Store.CountAsync());
    }

    [Fact]
    public async Task a_token_the_ca_never_issued_is_refused_and_issues_nothing()
    {
        var before = await ca.Store.CountAsync();
        var refused = await Assert.ThrowsAsync<CaRequestRefusedException>(() =>
            ca.Client(Bridge).CallCaAsync<CertificateIssued>(new EnrollHolder { Token = EnrollmentTokens.New(), Csr = Csr() }));
        Assert.Contains("unknown enrollment token", refused.Message, StringComparison.Ordinal);
        Assert.Equal(431, refused.ErrorCode);
        Assert.Equal(before, await ca.Store.CountAsync());
    }

    [Fact]
    public async Task concurrent_enrollments_with_one_token_issue_exactly_one_certificate()
    {
        var token = await ca.Client().CallCaAsync<EnrollmentTokenCreated>(new CreateEnrollmentToken { Holder = "urn:cloudstack:vm:" + Guid.NewGuid() });
        var bridge = ca.Client(Bridge);
        var attempts = Enumerable.Range(0, 8).Select(async _ =>
        {
            try { return await bridge.CallCaAsync<CertificateIssued>(new EnrollHolder { Token = token.Token, Csr = Csr() }); }
            catch (CaRequestRefusedException) { return null; }
        });
        var results = await Task.WhenAll(attempts);
        Assert.Single(results, r => r is not null);
    }

    public static string Csr()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        return new CertificateRequest("CN=agent", key, HashAlgorithmName.SHA256).CreateSigningRequestPem();
    }

    private static async Task<byte[]> ReadSharedAsync(string path)
    {
        await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        using var memory = new MemoryStream();
        await stream.CopyToAsync(memory);
        return memory.ToArray();
    }
}
