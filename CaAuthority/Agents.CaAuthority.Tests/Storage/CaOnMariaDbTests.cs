using Agents.CaAuthority.Store;
using Agents.CaAuthority.Tests.Support;
using Agents.Contracts.Ca;
using Agents.Messaging.Rpc;
using Agents.Storage;
using Agents.Testing;

namespace Agents.CaAuthority.Tests.Storage;

/// <summary>The CA process with Storage:Provider=MySql: its inventory and CRL number are in MariaDB, no ca.db is made.</summary>
[Collection(MariaDbFixture.Collection)]
public sealed class CaOnMariaDbTests(MariaDbFixture mariadb, BrokerFixture broker) : IClassFixture<BrokerFixture>, IAsyncLifetime
{
    private readonly string _dataDirectory = Path.Combine(Path.GetTempPath(), "agents-ca-mariadb-" + Guid.NewGuid().ToString("N")[..8]);
    private readonly List<IAsyncDisposable> _disposables = [];

    [Fact]
    public async Task the_ca_configured_for_mariadb_keeps_what_it_issues_and_revokes_there()
    {
        var connectionString = await mariadb.Node.CreateDatabaseAsync("ca_process");
        var ca = CaFixture.StartProcess(CaFixture.Arguments(broker, _dataDirectory, FreePort.Next(), "--Storage:Provider=MySql"), "mariadb test passphrase",
            new Dictionary<string, string> { ["Storage__ConnectionString"] = connectionString });
        _disposables.Add(ca);
        var rpc = TestRpc.Connect(broker.AmqpUri("producers"), "test", _disposables);
        await CaProcessTests.WaitReadyAsync(ca, rpc);

        var issued = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => rpc.CallCaAsync<CertificateIssued>(new IssueCertificate { Csr = CaProcessTests.Csr() })));
        await rpc.CallCaAsync<CertificateRevocationRecorded>(new RevokeCertificate { SerialNumber = issued[0].SerialNumber, Reason = "keyCompromise" });

        var store = new SqlCaStore(Database.MySql(connectionString));
        foreach (var certificate in issued)
            Assert.Equal(certificate.Certificate, (await store.FindAsync(certificate.SerialNumber))!.Pem);
        Assert.Equal(issued[0].SerialNumber, Assert.Single(await store.RevokedAsync()).SerialNumber);
        Assert.False(File.Exists(Path.Combine(_dataDirectory, "ca.db")), "a ca.db was made although the store is MariaDB");
        Assert.DoesNotContain(MariaDbNode.Password, ca.Output, StringComparison.Ordinal);
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        for (var i = _disposables.Count - 1; i >= 0; i--) await _disposables[i].DisposeAsync();
        try { Directory.Delete(_dataDirectory, recursive: true); } catch (IOException) { }
    }
}
