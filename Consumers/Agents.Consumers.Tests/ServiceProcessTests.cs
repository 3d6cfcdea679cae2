using Agents.Consumers.Tests.Support;
using Agents.Testing;

namespace Agents.Consumers.Tests;

[Collection(BrokerCollection.Name)]
public sealed class ServiceProcessTests(BrokerFixture broker)
{
    [Theory]
    [InlineData("--Alerts:Rules:0:Recipients:1=not-an-address", "Alerts:Rules:0:Recipients 'not-an-address' is not an e-mail address")]
    [InlineData("--Consumers:AlertQueue=alerts", "Consumers:AlertQueue 'alerts' must start with 'consumers.'")]
    [InlineData("--Smtp:UserName=mailer", "Smtp:Password is required when Smtp:UserName is set")]
    [InlineData("--RabbitMq:Uri=http://nowhere", "RabbitMq:Uri must be an absolute amqp:// or amqps:// URI")]
    [InlineData("--Alerts:Rules:0:MinSeverity=Loud", "Alerts:Rules:0:MinSeverity 'Loud' is not Info, Warning or Critical")]
    [InlineData("--Alerts:GroupWaitSeconds=soon", "'soon' at 'Alerts:GroupWaitSeconds'")]
    public async Task a_wrong_setting_stops_the_service_with_a_message_naming_it(string flag, string message)
    {
        await using var consumers = ConsumersProcess.Start(broker.AmqpUri("consumers"), FreePort.Next(), [flag]);
        Assert.Equal(2, await consumers.WaitForExitAsync());
        Assert.Contains(message, consumers.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task the_service_stops_cleanly_on_sigterm()
    {
        await using var smtp = await SmtpSink.StartAsync();
        await using var consumers = ConsumersProcess.Start(broker.AmqpUri("consumers"), smtp.Port);
        await consumers.WaitUntilBoundAsync();
        Assert.Equal(0, await consumers.TerminateAsync());
    }

    [Fact]
    public async Task alerts_parked_in_the_outbox_survive_a_crash_of_the_service_and_go_out_after_its_restart()
    {
        await using var smtp = await SmtpSink.StartAsync();
        await smtp.StopAsync();
        var data = Path.Combine(Path.GetTempPath(), "agents-consumers-" + Guid.NewGuid().ToString("N")[..8]);
        var suffix = Guid.NewGuid().ToString("N")[..8];
        string[] flags = ["--Alerts:GroupWaitSeconds=0"];
        await using (var first = ConsumersProcess.Start(broker.AmqpUri("consumers"), smtp.Port, flags, data, suffix))
        {
            await first.WaitUntilBoundAsync();
            await using var events = new Events(broker, "ca");
            await events.PublishAllAsync(Enumerable.Range(0, 10).Select(i => Events.CertificateExpiring($"CRASH{i}", $"urn:cloudstack:vm:crash-{i}-{suffix}").ToEvent()));
            await Eventually.TrueAsync(async () => await broker.MessagesInAsync(first.AlertQueue) == 0, "every alert acknowledged into the outbox");
        } // killed (SIGKILL): nothing but the outbox remembers the 10 e-mails

        await smtp.StartAgainAsync();
        await using var second = ConsumersProcess.Start(broker.AmqpUri("consumers"), smtp.Port, flags, data, suffix);
        await Eventually.TrueAsync(async () => (await smtp.MailsAsync()).Count >= 10, "10 e-mails after the restart", 120);
        await Task.Delay(TimeSpan.FromSeconds(2));
        Assert.Equal(10, (await smtp.MailsAsync()).Count);
        Assert.Equal(0, await second.TerminateAsync());
    }
}
