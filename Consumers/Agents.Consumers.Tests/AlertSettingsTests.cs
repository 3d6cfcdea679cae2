using System.Globalization;
using Agents.Consumers.Tests.Support;
using Agents.Contracts.Events;
using Agents.Testing;

namespace Agents.Consumers.Tests;

/// <summary>
/// CloudStack's alert e-mail settings changed with updateConfiguration (the CONFIGURATION.VALUE.EDIT
/// ActionEvent the API publishes) reach the running consumers process: real broker, real SMTP server.
/// </summary>
[Collection(BrokerCollection.Name)]
public sealed class AlertSettingsTests(BrokerFixture broker)
{
    [Fact]
    public async Task alert_smtp_and_address_settings_changed_at_run_time_route_the_next_email_without_a_restart()
    {
        await using var smtp = await SmtpSink.StartAsync();
        // configured with an SMTP port nobody listens on: only the changed setting can deliver
        await using var consumers = ConsumersProcess.Start(broker.AmqpUri("consumers"), FreePort.Next(), ["--Alerts:GroupWaitSeconds=0"]);
        await consumers.WaitUntilBoundAsync();
        await using var events = new Events(broker, "producers");

        await events.PublishAsync(Changed("alert.smtp.port", "99999")); // refused: not a port
        await events.PublishAsync(Changed("alert.smtp.port", smtp.Port.ToString(CultureInfo.InvariantCulture)));
        await events.PublishAsync(Changed("alert.email.addresses", "noc@example.net, pager@example.net"));
        await events.PublishAsync(Changed("alert.email.sender", "cloud-alerts@example.net"));
        await consumers.Process.WaitForOutputAsync("Setting alert.email.sender is now", 60);
        Assert.Contains("Setting alert.smtp.port refused", consumers.Output, StringComparison.Ordinal);

        await events.PublishAsync(Alert("first"));
        await Eventually.TrueAsync(async () => (await smtp.MailsAsync()).Count >= 1, "the alert e-mail through the changed SMTP port");
        var first = Assert.Single(await smtp.MailsAsync());
        Assert.Equal(["noc@example.net", "pager@example.net"], first.To.Order(StringComparer.Ordinal));
        Assert.Equal("cloud-alerts@example.net", first.From);

        // cleared: each rule's own recipients again
        await events.PublishAsync(Changed("alert.email.addresses", ""));
        await Eventually.TrueAsync(() => Task.FromResult(consumers.Process.CountOf("Setting alert.email.addresses is now") >= 2), "the addresses cleared");
        await events.PublishAsync(Alert("second"));
        await Eventually.TrueAsync(async () => (await smtp.MailsAsync()).Count >= 2, "the second alert e-mail");
        var second = (await smtp.MailsAsync()).Single(m => m.File != first.File);
        Assert.Equal(["cloud-ops@example.org", "oncall@example.org"], second.To.Order(StringComparer.Ordinal));
        Assert.Equal("cloud-alerts@example.net", second.From);
    }

    private static CloudStackEvent Changed(string name, string value) => new ConfigurationChanged
    {
        MessageId = Guid.NewGuid(), Name = name, Value = value, Account = "admin", At = DateTimeOffset.UtcNow,
    }.ToEvent();

    private static CloudStackEvent Alert(string what)
    {
        var vm = Guid.NewGuid().ToString();
        return new AlertRaised
        {
            MessageId = Guid.NewGuid(), AlertType = EventTypes.AlertAgentUnreachable, Severity = AlertSeverity.Critical,
            GroupKey = $"agent-unreachable/{vm}", ResourceType = ResourceTypes.VirtualMachine, ResourceUuid = vm,
            Subject = $"VM {vm}: {what} alert", Body = $"No agent answered for VM {vm}.", RaisedAt = DateTimeOffset.UtcNow,
        }.ToEvent();
    }
}
