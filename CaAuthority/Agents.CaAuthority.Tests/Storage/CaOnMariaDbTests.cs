using Agents.CaAuthority.Store;
using Agents.CaAuthority.Tests.Support;
using Agents.Contracts.Ca;
using Agents.Messaging.Rpc;
using Agents.Storage;
using Agents.Testing;
using System.Numerics;
using System.Security.Cryptography.X509Certificates;
using Agents.Contracts;
using RabbitMQ.Client;

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

    [Fact]
    public async Task two_ca_instances_on_one_inventory_issue_unique_serials_serve_one_crl_and_raise_each_expiry_alert_once()
    {
        var connectionString = await mariadb.Node.CreateDatabaseAsync("ca_cluster");
        await using var connection = await broker.ConnectAsync();
        await using var channel = await connection.CreateChannelAsync();
        var alerts = (await channel.QueueDeclareAsync("", false, true, true)).QueueName;
        await channel.QueueBindAsync(alerts, Topology.EventsExchange, "*.AlertEvent.ALERT-CA-CERTIFICATE-EXPIRING.#");
        var environment = new Dictionary<string, string> { ["Storage__ConnectionString"] = connectionString };
        // both scan every second for expiring certificates, as two instances of a cluster would (each at its own moment)
        string[] settings = ["--Storage:Provider=MySql", "--ca.framework.background.task.delay=1", "--ca.framework.cert.automatic.renewal=false"];
        var (portA, portB) = (FreePort.Next(), FreePort.Next());
        var rpc = TestRpc.Connect(broker.AmqpUri("producers"), "test", _disposables);
        // one root key for both: the second instance finds the first one's key in the shared data directory
        var a = CaFixture.StartProcess(CaFixture.Arguments(broker, _dataDirectory, portA, settings), "cluster test passphrase", environment);
        _disposables.Add(a);
        await CaProcessTests.WaitReadyAsync(a, rpc);
        var b = CaFixture.StartProcess(CaFixture.Arguments(broker, _dataDirectory, portB, settings), "cluster test passphrase", environment);
        _disposables.Add(b);
        await CaProcessTests.WaitReadyAsync(b, rpc);

        // competing consumers of ca.requests: both instances issue
        var issued = await Task.WhenAll(Enumerable.Range(0, 1000).Select(_ => rpc.CallCaAsync<CertificateIssued>(new IssueCertificate { Csr = CaProcessTests.Csr() }, TimeSpan.FromMinutes(2))));
        Assert.Equal(1000, issued.Select(c => c.SerialNumber).Distinct(StringComparer.Ordinal).Count());
        var store = new SqlCaStore(Database.MySql(connectionString));
        Assert.Equal(1000, await store.CountAsync());

        var revoked = await Task.WhenAll(issued.Take(40).Select(c => rpc.CallCaAsync<CertificateRevocationRecorded>(new RevokeCertificate { SerialNumber = c.SerialNumber, Reason = "keyCompromise" })));
        // which instance takes each revocation is the broker's choice; the CRL of either must hold all of them
        using var http = new HttpClient();
        // ready on the bus is not yet listening on HTTP: each instance's CRL once its listener answers (CI saw a refused connection)
        async Task<byte[]> CrlAsync(ServiceProcess ca, int port)
        {
            byte[]? crl = null;
            var served = await Eventually.WithinAsync(async () =>
            {
                try { crl = await http.GetByteArrayAsync(new Uri($"http://127.0.0.1:{port}/ca/crl")); return true; }
                catch (HttpRequestException) { return false; }
            }, seconds: 30);
            Assert.True(served, $"no CRL on http://127.0.0.1:{port}/ca/crl within 30 s; the instance said:\n{ca.Output}");
            return crl!;
        }
        var fromA = await CrlAsync(a, portA);
        var fromB = await CrlAsync(b, portB);
        Assert.Equal(fromA, fromB);
        var crl = CertificateRevocationListBuilder.Load(fromA, out var number);
        Assert.True(number >= new BigInteger(revoked.Max(r => r.CrlNumber)), $"served CRL {number} is older than the last revocation's {revoked.Max(r => r.CrlNumber)}");
        foreach (var certificate in issued.Take(40)) Assert.True(crl.RemoveEntry(Convert.FromHexString(certificate.SerialNumber)), $"{certificate.SerialNumber} is not in the CRL");

        var soon = await rpc.CallCaAsync<CertificateIssued>(new IssueCertificate { DomainNames = ["soon.cluster.internal"], ValidityDays = 2 });
        var first = await CaProcessTests.NextAsync(channel, alerts, TimeSpan.FromSeconds(30));
        Assert.True(first is not null, $"no expiry alert within 30 s\n{a.Output}\n{b.Output}");
        Assert.EndsWith("." + soon.SerialNumber, first.RoutingKey, StringComparison.Ordinal);
        // both instances scan several times in these seconds: neither alerts again
        Assert.Null(await CaProcessTests.NextAsync(channel, alerts, TimeSpan.FromSeconds(6)));
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        for (var i = _disposables.Count - 1; i >= 0; i--) await _disposables[i].DisposeAsync();
        try { Directory.Delete(_dataDirectory, recursive: true); } catch (IOException) { }
    }
}
