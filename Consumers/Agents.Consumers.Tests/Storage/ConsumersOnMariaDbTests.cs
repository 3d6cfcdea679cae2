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

    [Fact]
    public async Task two_consumer_instances_on_one_database_group_alerts_into_one_email_and_keep_one_audit_log()
    {
        var connectionString = await mariadb.Node.CreateDatabaseAsync("consumers_cluster");
        await using var smtp = await SmtpSink.StartAsync();
        var environment = new Dictionary<string, string> { ["Storage__ConnectionString"] = connectionString };
        // one queue suffix: the two instances are competing consumers of the same audit and alert queues
        var suffix = Guid.NewGuid().ToString("N")[..8];
        await using var first = ConsumersProcess.Start(broker.AmqpUri("consumers"), smtp.Port, ["--Storage:Provider=MySql", "--Alerts:GroupWaitSeconds=3"],
            Path.Combine(Path.GetTempPath(), $"agents-consumers-{suffix}-a"), suffix, environment);
        await first.WaitUntilBoundAsync();
        await using var second = ConsumersProcess.Start(broker.AmqpUri("consumers"), smtp.Port, ["--Storage:Provider=MySql", "--Alerts:GroupWaitSeconds=3"],
            Path.Combine(Path.GetTempPath(), $"agents-consumers-{suffix}-b"), suffix, environment);
        await second.WaitUntilBoundAsync();

        // ten certificates of one holder expiring: one group, whichever instance each alert reaches
        await using var events = new Events(broker, "ca");
        for (var i = 0; i < 10; i++) await events.PublishAsync(Events.CertificateExpiring($"C1A5{i:D2}", "urn:cloudstack:vm:cluster").ToEvent());

        var audit = new AuditStore(Database.MySql(connectionString));
        await Eventually.TrueAsync(async () => (await audit.QueryAsync(new AuditQuery { Category = "AlertEvent" })).TotalCount == 10, "ten audited alerts in the one audit log");
        await Eventually.TrueAsync(async () => (await smtp.MailsAsync()).Count >= 1, "the grouped expiry e-mail");
        // both instances poll the shared outbox several times in these seconds: neither sends the group again
        await Task.Delay(TimeSpan.FromSeconds(5));
        var mail = Assert.Single(await smtp.MailsAsync());
        Assert.Contains("urn:cloudstack:vm:cluster", mail.Body, StringComparison.Ordinal);
    }
}
