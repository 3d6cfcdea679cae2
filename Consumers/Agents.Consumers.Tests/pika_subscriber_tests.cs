using System.Diagnostics;
using System.Text.Json;
using Agents.Consumers.Tests.Support;
using Agents.Contracts.Commands;
using Agents.Contracts.Events;
using Agents.Testing;

namespace Agents.Consumers.Tests;

/// <summary>An independent CloudStack-style subscriber (docs/examples/watch_events.py, python3-pika) reads our alerts.</summary>
[Collection(BrokerCollection.Name)]
public sealed class pika_subscriber_tests(BrokerFixture broker)
{
    [Fact]
    public async Task a_pika_subscriber_bound_with_the_AlertEvent_pattern_reads_the_alerts_the_system_emits_and_nothing_else()
    {
        var info = new ProcessStartInfo("/usr/bin/python3") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in new[] { Path.Combine(RepositoryPaths.Root, "docs", "examples", "watch_events.py"), broker.AmqpUri("observer"), "*.AlertEvent.#", "2", "60" })
            info.ArgumentList.Add(arg);
        using var watcher = Process.Start(info)!;
        Assert.Equal("ready", await watcher.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(30)));

        await using var events = new Events(broker, "ca");
        var holder = $"urn:cloudstack:vm:{Guid.NewGuid()}";
        var expiring = Events.CertificateExpiring("0A1B2C3D", holder);
        var outcome = new AgentCommandCompleted
        {
            MessageId = Guid.NewGuid(), CommandId = Guid.NewGuid(), JobId = Guid.NewGuid(), CommandType = CommandTypes.RunRecipe,
            RouterId = "r1", VmId = Guid.NewGuid().ToString(), Outcome = CommandOutcome.Success, CompletedAt = DateTimeOffset.UtcNow,
        };
        var renewed = Events.CertificateExpiring("0A1B2C3D", holder, AlertState.Resolved);
        await events.PublishAsync(expiring.ToEvent());
        await events.PublishAsync(outcome.ToEvent());
        await events.PublishAsync(renewed.ToEvent());

        var lines = new List<JsonElement>();
        for (var i = 0; i < 2; i++)
            lines.Add(JsonDocument.Parse((await watcher.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(60)))!).RootElement);
        await watcher.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
        Assert.True(watcher.ExitCode == 0, await watcher.StandardError.ReadToEndAsync());

        Assert.Equal("management-server.AlertEvent.ALERT-CA-CERTIFICATE-EXPIRING.Certificate.0A1B2C3D", lines[0].GetProperty("routingKey").GetString());
        var body = lines[0].GetProperty("body");
        Assert.Equal(EventTypes.AlertCertificateExpiring, body.GetProperty("event").GetString());
        Assert.Equal(expiring.Subject, body.GetProperty("subject").GetString());
        Assert.Equal("Warning", body.GetProperty("severity").GetString());
        Assert.Equal(expiring.MessageId.ToString(), body.GetProperty("messageId").GetString());
        Assert.Equal("Resolved", lines[1].GetProperty("body").GetProperty("state").GetString());
        Assert.Equal(renewed.MessageId.ToString(), lines[1].GetProperty("body").GetProperty("messageId").GetString());
    }
}
