using Agents.Consumers.Tests.Support;
using Agents.Contracts.Events;
using Agents.Testing;

namespace Agents.Consumers.Tests;

/// <summary>The consumers process against a real broker node and a real SMTP server (the test kit's SmtpSink).</summary>
[Collection(BrokerCollection.Name)]
public sealed class AlertEmailTests(BrokerFixture broker)
{
    [Fact]
    public async Task an_agent_unreachable_alert_mails_the_rule_recipients_naming_the_vm_and_the_agent_iso()
    {
        await using var smtp = await SmtpSink.StartAsync();
        await using var consumers = ConsumersProcess.Start(broker.AmqpUri("consumers"), smtp.Port);
        await consumers.WaitUntilBoundAsync();
        await using var events = new Events(broker, "producers");

        var vm = Guid.NewGuid().ToString();
        await events.PublishAsync(new AlertRaised
        {
            MessageId = Guid.NewGuid(),
            AlertType = EventTypes.AlertAgentUnreachable,
            Severity = AlertSeverity.Critical,
            GroupKey = $"agent-unreachable/{vm}",
            ResourceType = ResourceTypes.VirtualMachine,
            ResourceUuid = vm,
            Subject = $"VM {vm}: resetPasswordForVirtualMachine failed after 3 attempts",
            Body = $"No agent answered for VM {vm} within the delivery timeout, 3 times.",
            RaisedAt = DateTimeOffset.UtcNow,
        }.ToEvent());

        await Eventually.TrueAsync(async () => (await smtp.MailsAsync()).Count >= 1, "the alert e-mail");
        var mail = Assert.Single(await smtp.MailsAsync());
        Assert.Equal($"[CloudStack] [FIRING:Critical] VM {vm}: resetPasswordForVirtualMachine failed after 3 attempts", mail.Subject);
        Assert.Equal(["cloud-ops@example.org", "oncall@example.org"], mail.To.Order(StringComparer.Ordinal));
        Assert.Equal("cloudstack-agents@localhost", mail.From);
        Assert.Contains($"Resource:   VirtualMachine {vm}", mail.Body, StringComparison.Ordinal);
        Assert.Contains("What to do:", mail.Body, StringComparison.Ordinal);
        Assert.Contains("Attach the agent ISO", mail.Body, StringComparison.Ordinal);
        Assert.Contains($"virtualmachineid={vm}", mail.Body, StringComparison.Ordinal);
        Assert.Contains($"Resource:   VirtualMachine {vm}", mail.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task a_thousand_expiry_alerts_for_one_certificate_make_one_email_and_its_renewal_one_resolved_email()
    {
        await using var smtp = await SmtpSink.StartAsync();
        // a window wide enough to hold the whole burst, whatever the machine's speed
        await using var consumers = ConsumersProcess.Start(broker.AmqpUri("consumers"), smtp.Port, ["--Alerts:GroupWaitSeconds=5"]);
        await consumers.WaitUntilBoundAsync();
        await using var events = new Events(broker, "ca");

        var holder = $"urn:cloudstack:vm:{Guid.NewGuid()}";
        var serial = Guid.NewGuid().ToString("N")[..16].ToUpperInvariant();
        await events.PublishAllAsync(Enumerable.Range(0, 1000).Select(_ => Events.CertificateExpiring(serial, holder).ToEvent()));

        await Eventually.TrueAsync(async () => (await smtp.MailsAsync()).Count >= 1, "the expiry e-mail");
        await Eventually.TrueAsync(async () => await broker.MessagesInAsync(consumers.AlertQueue) == 0, "the alert queue drained");
        await Task.Delay(TimeSpan.FromSeconds(3)); // a second e-mail, if any, would be on its way by now
        var firing = Assert.Single(await smtp.MailsAsync());
        Assert.Equal($"[CloudStack] [FIRING:Warning] Certificate {serial} of {holder} expires 2026-11-29 10:00 UTC", firing.Subject);
        Assert.Contains($"Resource:   Certificate {serial}", firing.Body, StringComparison.Ordinal);
        Assert.Contains("provisionCertificate", firing.Body, StringComparison.Ordinal);
        Assert.Matches(@"Alerts:\s+\d+ since the last e-mail, \d+ in all", firing.Body);

        await events.PublishAsync(Events.CertificateExpiring(serial, holder, AlertState.Resolved).ToEvent());
        await Eventually.TrueAsync(async () => (await smtp.MailsAsync()).Count >= 2, "the resolved e-mail");
        await Task.Delay(TimeSpan.FromSeconds(2));
        var mails = await smtp.MailsAsync();
        Assert.Equal(2, mails.Count);
        var resolved = mails.Single(m => m.File != firing.File);
        Assert.Equal($"[CloudStack] [RESOLVED] Certificate of {holder} renewed", resolved.Subject);
        Assert.Contains("the condition has cleared", resolved.Body, StringComparison.Ordinal);
        Assert.Contains("Alerts:     ", resolved.Body, StringComparison.Ordinal);
        Assert.Contains("1000 in all", resolved.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task alerts_published_while_smtp_is_down_are_all_delivered_once_it_is_back_none_lost_none_twice()
    {
        await using var smtp = await SmtpSink.StartAsync();
        await using var consumers = ConsumersProcess.Start(broker.AmqpUri("consumers"), smtp.Port, ["--Alerts:GroupWaitSeconds=0"]);
        await consumers.WaitUntilBoundAsync();
        await using var events = new Events(broker, "ca");
        await smtp.StopAsync();

        var serials = Enumerable.Range(0, 25).Select(i => $"SERIAL{i:D3}{Guid.NewGuid().ToString("N")[..6].ToUpperInvariant()}").ToList();
        await events.PublishAllAsync(serials.Select(s => Events.CertificateExpiring(s, $"urn:cloudstack:vm:{s}").ToEvent()));

        // acknowledged while the SMTP server is down: each one parked in the outbox, not held by the broker
        await Eventually.TrueAsync(async () => await broker.MessagesInAsync(consumers.AlertQueue) == 0, "every alert acknowledged into the outbox");
        await Eventually.TrueAsync(() => Task.FromResult(consumers.Output.Contains("not sent, attempt", StringComparison.Ordinal)), "a failed SMTP attempt");
        Assert.Empty(await smtp.MailsAsync());

        await smtp.StartAgainAsync();
        await Eventually.TrueAsync(async () => (await smtp.MailsAsync()).Count >= serials.Count, $"{serials.Count} e-mails after SMTP returned", 120);
        await Task.Delay(TimeSpan.FromSeconds(3));
        var mails = await smtp.MailsAsync();
        Assert.Equal(serials.Count, mails.Count);
        Assert.Equal(serials.Order(StringComparer.Ordinal), mails.Select(m => m.Subject.Split(' ')[3]).Order(StringComparer.Ordinal));
        Assert.Equal(mails.Count, mails.Select(m => m.MessageId).Distinct(StringComparer.Ordinal).Count());
    }

    [Fact]
    public async Task a_router_health_failure_mails_once_and_its_recovery_mails_resolved()
    {
        await using var smtp = await SmtpSink.StartAsync();
        await using var consumers = ConsumersProcess.Start(broker.AmqpUri("consumers"), smtp.Port, ["--Alerts:GroupWaitSeconds=0"]);
        await consumers.WaitUntilBoundAsync();
        await using var events = new Events(broker, "admin");

        var router = Guid.NewGuid().ToString();
        AlertRaised Health(AlertState state) => new()
        {
            MessageId = Guid.NewGuid(), AlertType = EventTypes.AlertRouterHealth, Severity = AlertSeverity.Critical, State = state,
            GroupKey = $"router-health/{router}/dns", ResourceType = ResourceTypes.DomainRouter, ResourceUuid = router,
            Subject = state == AlertState.Firing ? $"Router {router}: health check dns failed" : $"Router {router}: health check dns passes again ✓",
            Body = state == AlertState.Firing ? "The basic health check 'dns' failed: dnsmasq not running (résolution échouée)" : "The health check 'dns' passes again",
            RaisedAt = DateTimeOffset.UtcNow,
        };
        await events.PublishAsync(Health(AlertState.Firing).ToEvent());
        await Eventually.TrueAsync(async () => (await smtp.MailsAsync()).Count >= 1, "the firing e-mail");
        await events.PublishAsync(Health(AlertState.Resolved).ToEvent());
        await Eventually.TrueAsync(async () => (await smtp.MailsAsync()).Count >= 2, "the resolved e-mail");

        var mails = (await smtp.MailsAsync()).ToList();
        Assert.Equal(2, mails.Count);
        Assert.StartsWith("[CloudStack] [FIRING:Critical] Router", mails[0].Subject, StringComparison.Ordinal);
        Assert.Contains($"getRouterHealthCheckResults routerid={router}", mails[0].Body, StringComparison.Ordinal);
        Assert.Contains("dnsmasq not running (résolution échouée)", mails[0].Body, StringComparison.Ordinal);
        Assert.Equal($"[CloudStack] [RESOLVED] Router {router}: health check dns passes again ✓", mails.Single(m => m.Subject.Contains("RESOLVED", StringComparison.Ordinal)).Subject);
    }

    [Fact]
    public async Task a_rule_on_agent_presence_mails_when_an_agent_goes_down_and_resolves_when_it_is_back()
    {
        await using var smtp = await SmtpSink.StartAsync();
        await using var consumers = ConsumersProcess.Start(broker.AmqpUri("consumers"), smtp.Port,
        [
            "--Alerts:GroupWaitSeconds=0",
            "--Alerts:Rules:1:Name=agents-down",
            "--Alerts:Rules:1:Categories:0=ResourceStateEvent",
            "--Alerts:Rules:1:EventTypes:0=AGENT.STATE",
            "--Alerts:Rules:1:ResourceTypes:0=VirtualMachine",
            "--Alerts:Rules:1:Recipients:0=vm-owners@example.org",
            "--Alerts:Rules:1:Severity=Critical",
        ]);
        await consumers.WaitUntilBoundAsync();
        await using var events = new Events(broker, "admin");

        var vm = Guid.NewGuid().ToString();
        ResourceStateChanged Presence(string from, string to) => new()
        {
            MessageId = Guid.NewGuid(), EventType = EventTypes.AgentState, ResourceType = ResourceTypes.VirtualMachine, ResourceUuid = vm,
            OldState = from, NewState = to, ChangedAt = DateTimeOffset.UtcNow,
            Details = new Dictionary<string, string> { ["routerId"] = "r1", ["reason"] = "missed heartbeats" },
        };
        await events.PublishAsync(Presence("Up", "Unresponsive").ToEvent());
        await Eventually.TrueAsync(async () => (await smtp.MailsAsync()).Count >= 1, "the agent-down e-mail");
        await events.PublishAsync(Presence("Unresponsive", "Up").ToEvent());
        await Eventually.TrueAsync(async () => (await smtp.MailsAsync()).Count >= 2, "the agent-back e-mail");

        var mails = (await smtp.MailsAsync()).ToList();
        Assert.All(mails, m => Assert.Equal(["vm-owners@example.org"], m.To));
        var down = mails.Single(m => m.Subject.Contains("FIRING", StringComparison.Ordinal));
        Assert.Equal($"[CloudStack] [FIRING:Critical] VirtualMachine {vm} is Unresponsive", down.Subject);
        Assert.Contains("attach the agent ISO", down.Body, StringComparison.Ordinal);
        Assert.Equal($"[CloudStack] [RESOLVED] VirtualMachine {vm} is Up", mails.Single(m => m.Subject.Contains("RESOLVED", StringComparison.Ordinal)).Subject);
    }

    [Fact]
    public async Task a_group_still_firing_is_mailed_again_after_the_repeat_interval()
    {
        await using var smtp = await SmtpSink.StartAsync();
        await using var consumers = ConsumersProcess.Start(broker.AmqpUri("consumers"), smtp.Port,
            ["--Alerts:GroupWaitSeconds=0", "--Alerts:RepeatIntervalSeconds=3"]);
        await consumers.WaitUntilBoundAsync();
        await using var events = new Events(broker, "ca");

        var holder = $"urn:cloudstack:router:{Guid.NewGuid()}";
        await events.PublishAsync(Events.CertificateExpiring("4E4E4E", holder).ToEvent());
        await Eventually.TrueAsync(async () => (await smtp.MailsAsync()).Count >= 2, "the first e-mail and its repeat");
        await events.PublishAsync(Events.CertificateExpiring("4E4E4E", holder, AlertState.Resolved).ToEvent());
        await Eventually.TrueAsync(async () => (await smtp.MailsAsync()).Any(m => m.Subject.Contains("[RESOLVED]", StringComparison.Ordinal)), "the resolved e-mail");

        var subjects = (await smtp.MailsAsync()).Select(m => m.Subject).ToList();
        Assert.StartsWith("[CloudStack] [FIRING:Warning] Certificate 4E4E4E", subjects[0], StringComparison.Ordinal);
        Assert.StartsWith("[CloudStack] [FIRING:Warning, still] Certificate 4E4E4E", subjects[1], StringComparison.Ordinal);
        Assert.Equal($"[CloudStack] [RESOLVED] Certificate of {holder} renewed", subjects[^1]);
        Assert.Single(subjects, s => s.Contains("[RESOLVED]", StringComparison.Ordinal));
    }

    [Fact]
    public async Task a_body_that_is_not_json_is_parked_in_the_error_queue_and_the_next_alert_still_goes_out()
    {
        await using var smtp = await SmtpSink.StartAsync();
        await using var consumers = ConsumersProcess.Start(broker.AmqpUri("consumers"), smtp.Port, ["--Alerts:GroupWaitSeconds=0"]);
        await consumers.WaitUntilBoundAsync();

        const string publish = """
            import pika, sys
            c = pika.BlockingConnection(pika.URLParameters(sys.argv[1])); ch = c.channel(); ch.confirm_delivery()
            ch.basic_publish('cloudstack-events', 'someone.AlertEvent.ALERT-BROKEN.VirtualMachine.x', b'this is not json', pika.BasicProperties(delivery_mode=2))
            c.close()
            """;
        var result = await ProcessRunner.RunAsync("/usr/bin/python3", ["-c", publish, broker.AmqpUri("admin")]);
        Assert.True(result.ExitCode == 0, result.Output);
        await Eventually.TrueAsync(async () =>
        {
            try { return await broker.MessagesInAsync(consumers.AlertQueue + "_error") == 1; }
            catch (InvalidOperationException) { return false; } // not declared yet
        }, "the bad body in the error queue");

        await using var events = new Events(broker, "ca");
        await events.PublishAsync(Events.CertificateExpiring("600D", "urn:cloudstack:vm:after-poison").ToEvent());
        await Eventually.TrueAsync(async () => (await smtp.MailsAsync()).Count == 1, "the next alert's e-mail");
        Assert.Contains("600D", Assert.Single(await smtp.MailsAsync()).Subject, StringComparison.Ordinal);
    }
}
