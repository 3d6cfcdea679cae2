using Agents.Consumers.Tests.Support;
using Agents.Storage;
using Agents.Storage.Audit;
using Agents.Testing;

namespace Agents.Consumers.Tests.Storage;

/// <summary>The consumers service with Storage:Provider=MySql: its audit log and alert state are in MariaDB, no file is made.</summary>
[Collection(MariaDbFixture.Collection)]
public sealed class ConsumersOnMariaDbTests(MariaDbFixture mariadb, BrokerFixture broker) : IClassFixture<BrokerFixture>
{
    [Fact]
    public async Task the_service_configured_for_mariadb_keeps_its_audit_log_and_alert_emails_there()
    {
        var connectionString = await mariadb.Node.CreateDatabaseAsync("consumers_process");
        await using var smtp = await SmtpSink.StartAsync();
        await using var consumers = ConsumersProcess.Start(broker.AmqpUri("consumers"), smtp.Port, ["--Storage:Provider=MySql", "--Alerts:GroupWaitSeconds=0"],
            environment: new Dictionary<string, string> { ["Storage__ConnectionString"] = connectionString });
        await consumers.WaitUntilBoundAsync();
        await using var events = new Events(broker, "ca");
        await events.PublishAsync(Events.CertificateExpiring("5EED01", "urn:cloudstack:vm:mariadb").ToEvent());

        await Eventually.TrueAsync(async () => (await smtp.MailsAsync()).Count >= 1, "the expiry e-mail");
        var audit = new AuditStore(Database.MySql(connectionString));
        await Eventually.TrueAsync(async () => (await audit.QueryAsync(new AuditQuery { ResourceId = "5EED01" })).TotalCount == 1, "the audited alert in MariaDB");
        var outbox = await audit.Database.ScalarAsync("SELECT COUNT(*) FROM outbox WHERE sent_ms IS NOT NULL");
        Assert.Equal(1L, Convert.ToInt64(outbox, System.Globalization.CultureInfo.InvariantCulture));
        Assert.False(File.Exists(consumers.AuditDatabasePath), "an audit file was made although the store is MariaDB");
        Assert.False(File.Exists(consumers.AlertDatabasePath), "an alert file was made although the store is MariaDB");
        Assert.DoesNotContain(MariaDbNode.Password, consumers.Output, StringComparison.Ordinal);
    }
}
