using Agents.Contracts;
using Agents.Contracts.Ca;
using Agents.Contracts.Commands;
using Agents.Contracts.Events;
using Agents.Producers.Client;
using Agents.ReliabilityTests.Support;
using Agents.Testing;
using RabbitMQ.Client;
using Xunit.Abstractions;
using Agents.Messaging.Internal;

namespace Agents.ReliabilityTests;

/// <summary>
/// Bad input on the queues of the management side, each served by its real process: the CA's
/// ca.requests, the API's producers.outcomes, producers.agents and agents.unroutable (the kit's
/// QueueConsumer), the consumers service's consumers.audit and consumers.alerts (MassTransit).
/// Each bad body gets a clear answer or is parked with a log line naming it, and a valid message
/// sent after the garbage is still handled.
/// </summary>
[Collection(ServicesCollection.Name)]
public sealed class ServicePoisonTests(ServicesRig rig, ITestOutputHelper output)
{
    [Fact]
    public async Task garbage_on_ca_requests_gets_a_ca_error_or_is_dead_lettered_and_the_ca_still_issues()
    {
        await using var connection = await rig.Broker.ConnectAsync(name: "poison-ca");
        var bus = await RawBus.OpenAsync(connection);
        var replies = (await bus.Channel.QueueDeclareAsync("", durable: false, exclusive: true, autoDelete: true)).QueueName;
        var valid = new Dictionary<string, object?> { ["domainNames"] = new[] { "web.example.org" }, ["validityDays"] = 7 };

        var answered = PoisonCases.Garbage(PoisonCases.Serialize(valid)).Concat(
        [
            PoisonCases.Violation("domainNames is a string", valid, c => c["domainNames"] = "web.example.org"),
            PoisonCases.Violation("validityDays negative", valid, c => c["validityDays"] = -5),
            PoisonCases.Violation("validityDays is text", valid, c => c["validityDays"] = "forever"),
            PoisonCases.Violation("domain with shell metacharacters", valid, c => c["domainNames"] = new[] { "a;rm -rf /;$(reboot)" }),
            PoisonCases.Violation("domain with a path", valid, c => c["domainNames"] = new[] { "../../etc/passwd" }),
            PoisonCases.Violation("domain with a NUL byte", valid, c => c["domainNames"] = new[] { "web\0.example.org" }),
            PoisonCases.Violation("CSR that is not a PEM", valid, c => c["csr"] = "-----BEGIN CERTIFICATE REQUEST-----\nnot base64!\n-----END CERTIFICATE REQUEST-----"),
            PoisonCases.Violation("unknown provider", valid, c => c["provider"] = "'; DROP TABLE certificates; --"),
        ]).ToList();
        var unknownType = new PoisonCase("unknown request type", PoisonCases.Utf8(PoisonCases.Serialize(valid)));
        var noReplyTo = PoisonCases.Garbage(PoisonCases.Serialize(valid)).Take(3).Select(c => c with { Name = c.Name + ", no reply_to" }).ToList();

        foreach (var c in answered) await bus.ToQueueAsync(Topology.CaRequestsQueue, c, CaRequestTypes.IssueCertificate, replies, userId: "admin");
        await bus.ToQueueAsync(Topology.CaRequestsQueue, unknownType, "FormatHardDisk", replies, userId: "admin");
        foreach (var c in noReplyTo) await bus.ToQueueAsync(Topology.CaRequestsQueue, c, CaRequestTypes.IssueCertificate, userId: "admin");
        var good = new PoisonCase("valid IssueCertificate", PoisonCases.Utf8(PoisonCases.Serialize(valid)));
        await bus.ToQueueAsync(Topology.CaRequestsQueue, good, CaRequestTypes.IssueCertificate, replies, userId: "admin");

        var asked = answered.Append(unknownType).Append(good).ToList();
        var got = new List<(string Id, string? Type, string Body)>();
        var all = await Eventually.WithinAsync(async () => { got.AddRange(await TakeRepliesAsync(bus, replies, asked)); return got.Count >= asked.Count; }, 90);
        Assert.True(all, $"{got.Count} of {asked.Count} answers from the CA within 90 s; missing: "
            + string.Join(", ", asked.Where(a => got.All(g => g.Id != a.Id)).Select(a => a.Name)) + "\n" + Tail(rig.Ca));
        var dead = await DeadLettersAsync(connection, noReplyTo, 60);

        var goodReply = got.Single(g => g.Id == good.Id);
        Assert.True(goodReply.Type == nameof(CertificateIssued), goodReply.Body);
        var report = new List<string>();
        var wrong = new List<string>();
        foreach (var c in answered.Append(unknownType))
        {
            var reply = got.Single(g => g.Id == c.Id);
            var error = reply.Type == nameof(CaError) ? AgentJson.Deserialize<CaError>(PoisonCases.Utf8(reply.Body)) : null;
            var line = rig.Ca.Output.Split('\n').FirstOrDefault(l => l.Contains(c.Id, StringComparison.Ordinal)) ?? "NO LOG LINE";
            report.Add($"{c.Name}: {reply.Type} {error?.ErrorCode} {error?.ErrorText} | {line}");
            if (error is not { ErrorCode: >= 400 and < 500 } || line == "NO LOG LINE") wrong.Add($"{c.Name}: {reply.Type} {reply.Body[..Math.Min(200, reply.Body.Length)]}");
        }
        foreach (var c in noReplyTo)
            report.Add($"{c.Name}: {dead.SingleOrDefault(d => d.MessageId == c.Id)?.Reason ?? "NOT DEAD-LETTERED"} | {LogLine(rig.Ca, c.Id)}");
        foreach (var line in report) output.WriteLine(line);
        output.WriteLine($"ca.requests: {answered.Count + 1 + noReplyTo.Count} bad requests tried: {answered.Count + 1} answered with CaError 4xx, "
            + $"{dead.Count} without reply_to dead-lettered; the valid request after them: {goodReply.Type}");

        Assert.True(wrong.Count == 0, "not refused with a 4xx CaError and a log line: " + string.Join("; ", wrong));
        Assert.All(noReplyTo, c => Assert.Equal("rejected", dead.Single(d => d.MessageId == c.Id).Reason));
        Assert.All(noReplyTo, c => Assert.Contains("Dead-lettering " + c.Id, rig.Ca.Output, StringComparison.Ordinal));
        Assert.False(rig.Ca.HasExited);
        await AssertQueueEmptyAsync(Topology.CaRequestsQueue);
    }

    [Fact]
    public async Task garbage_on_the_apis_event_queues_is_dead_lettered_and_jobs_and_presence_still_update()
    {
        await using var connection = await rig.Broker.ConnectAsync(name: "poison-api");
        var bus = await RawBus.OpenAsync(connection);
        const string router = "r-poison-api";
        var outcome = new AgentCommandCompleted
        {
            MessageId = Guid.NewGuid(), CommandId = Guid.NewGuid(), JobId = Guid.NewGuid(), CommandType = CommandTypes.RunRecipe, RouterId = router,
            VmId = "vm-x", Outcome = CommandOutcome.Success, CompletedAt = DateTimeOffset.UtcNow,
        }.ToEvent().Description.ToDictionary(p => p.Key, p => (object?)p.Value);
        var health = new ResourceStateChanged
        {
            MessageId = Guid.NewGuid(), EventType = EventTypes.RouterHealthCheck, ResourceType = ResourceTypes.DomainRouter, ResourceUuid = router,
            NewState = "Passed", ChangedAt = DateTimeOffset.UtcNow,
            Details = new Dictionary<string, string> { ["checkName"] = "dns", ["checkType"] = "basic", ["success"] = "true" },
        }.ToEvent().Description.ToDictionary(p => p.Key, p => (object?)p.Value);
        var command = PoisonCases.Loose(AgentJson.ToUtf8(AgentCommand.Create(CommandTypes.RunRecipe, router, "vm-x", new RunRecipe { Name = "x" })));

        var queues = new Dictionary<string, List<PoisonCase>>
        {
            ["producers.outcomes"] = [.. PoisonCases.Garbage(PoisonCases.Serialize(outcome)),
                PoisonCases.Violation("outcome unknown", outcome, c => c["outcome"] = "Exploded"),
                PoisonCases.Violation("commandId not a GUID", outcome, c => c["commandId"] = "1 OR 1=1"),
                PoisonCases.Violation("jobId missing", outcome, c => c.Remove("jobId")),
                PoisonCases.Violation("a field is an object", outcome, c => c["routerId"] = new Dictionary<string, object> { ["$ne"] = 1 })],
            ["producers.agents"] = [.. PoisonCases.Garbage(PoisonCases.Serialize(health)),
                PoisonCases.Violation("id missing", health, c => c.Remove("id")),
                PoisonCases.Violation("checkName missing", health, c => c.Remove("checkName")),
                PoisonCases.Violation("a field is an array", health, c => c["id"] = new[] { "vm-a", "vm-b" })],
            [Topology.UnroutableQueue] = [.. PoisonCases.Garbage(PoisonCases.Serialize(command)),
                new("empty object", PoisonCases.Utf8("{}")),
                PoisonCases.Violation("commandId not a GUID", command, c => c["commandId"] = "../../etc/passwd"),
                PoisonCases.Violation("jobId missing", command, c => c.Remove("jobId"))],
        };
        foreach (var (queue, cases) in queues)
            foreach (var c in cases) await bus.ToQueueAsync(queue, c);

        // valid messages after the garbage: a job completed by its outcome, one failed through agents.unroutable, an agent Up
        await rig.Admin.CallAsync("registerVirtualMachine", ("id", "vm-served"), ("routerid", router), ("account", "alice"));
        await rig.Admin.CallAsync("registerVirtualMachine", ("id", "vm-unserved"), ("routerid", "r-nobody"), ("account", "alice"));
        await bus.Channel.QueueDeclareAsync("test.router." + router, durable: false, exclusive: true, autoDelete: true);
        await bus.Channel.QueueBindAsync("test.router." + router, Topology.CommandsExchange, Topology.RouterBinding(router));
        var served = (await rig.Admin.CallAsync("runAgentRecipe", ("virtualmachineid", "vm-served"), ("name", "hello")))["jobid"]!.GetValue<string>();
        var unserved = (await rig.Admin.CallAsync("runAgentRecipe", ("virtualmachineid", "vm-unserved"), ("name", "hello")))["jobid"]!.GetValue<string>();
        BasicGetResult? sent = null;
        await Eventually.TrueAsync(async () => (sent = await bus.Channel.BasicGetAsync("test.router." + router, autoAck: true)) is not null, "the served job's command", 30);
        var relayed = AgentJson.Deserialize<AgentCommand>(sent!.Body.Span);
        await bus.EventAsync(new AgentCommandCompleted
        {
            MessageId = Guid.NewGuid(), CommandId = relayed.CommandId, JobId = relayed.JobId, CommandType = relayed.Type, RouterId = router,
            VmId = "vm-served", Outcome = CommandOutcome.Success, Attempt = relayed.Attempt, Stdout = "hello", CompletedAt = DateTimeOffset.UtcNow,
        }.ToEvent(), Guid.NewGuid().ToString());
        await bus.EventAsync(Presence("vm-served", router).ToEvent(), Guid.NewGuid().ToString());

        var servedJob = await rig.Admin.WaitForJobAsync(served, new JobWaitOptions { Timeout = TimeSpan.FromSeconds(60) });
        var unservedJob = await rig.Admin.WaitForJobAsync(unserved, new JobWaitOptions { Timeout = TimeSpan.FromSeconds(60) });
        await Eventually.TrueAsync(async () => ResponseValues.Count(await rig.Admin.CallAsync("listAgents", ("virtualmachineid", "vm-served"), ("state", "Up"))) == 1,
            "vm-served Up in listAgents", 30);

        var all = queues.SelectMany(q => q.Value.Select(c => (Queue: q.Key, Case: c))).ToList();
        var dead = await DeadLettersAsync(connection, all.Select(a => a.Case).ToList(), 90);
        foreach (var (queue, c) in all)
            output.WriteLine($"{queue} / {c.Name}: {dead.SingleOrDefault(d => d.MessageId == c.Id)?.Reason ?? "NOT DEAD-LETTERED"} | {LogLine(rig.Api, c.Id)}");
        output.WriteLine($"{all.Count} bad messages tried ({string.Join(", ", queues.Select(q => $"{q.Key} {q.Value.Count}"))}); {dead.Count} dead-lettered, "
            + $"{dead.Count(d => d.Reason == "rejected")} at once; after them: served job {servedJob.Status}, "
            + $"unserved job {unservedJob.Status} ({unservedJob.ErrorText}), vm-served Up");

        Assert.Equal(AsyncJobStatus.Succeeded, servedJob.Status);
        Assert.Equal(AsyncJobStatus.Failed, unservedJob.Status);
        Assert.True(dead.Count == all.Count, Tail(rig.Api));
        Assert.All(all, a => Assert.Equal("rejected", dead.Single(d => d.MessageId == a.Case.Id).Reason));
        Assert.All(all, a => Assert.Contains("Dead-lettering " + a.Case.Id, rig.Api.Output, StringComparison.Ordinal));
        Assert.False(rig.Api.HasExited);
        foreach (var queue in queues.Keys) await AssertQueueEmptyAsync(queue);
    }

    [Fact]
    public async Task garbage_on_the_consumers_queues_is_parked_in_their_error_queues_and_events_are_still_audited_and_alerted()
    {
        await using var connection = await rig.Broker.ConnectAsync(name: "poison-consumers");
        var bus = await RawBus.OpenAsync(connection);
        var alert = Alert("poison-before").ToEvent().Description.ToDictionary(p => p.Key, p => (object?)p.Value);
        var queues = new Dictionary<string, List<PoisonCase>>
        {
            [rig.AuditQueue] = [.. PoisonCases.Garbage(PoisonCases.Serialize(alert))],
            [rig.AlertQueue] = [.. PoisonCases.Garbage(PoisonCases.Serialize(alert))],
        };
        // valid JSON objects that break the alert schema: the audit keeps any object; the alert consumer must not choke
        var odd = new List<PoisonCase>
        {
            new("empty object", PoisonCases.Utf8("{}")),
            PoisonCases.Violation("severity unknown", alert, c => c["severity"] = "Apocalyptic"),
            PoisonCases.Violation("subject 100 KB with shell and HTML", alert, c => c["subject"] = "<script>$(reboot)</script>" + new string('s', 100_000)),
            PoisonCases.Violation("a field is an object", alert, c => c["groupKey"] = new Dictionary<string, object> { ["a"] = 1 }),
        };
        queues[rig.AlertQueue].AddRange(odd);
        foreach (var (queue, cases) in queues)
            foreach (var c in cases) await bus.ToQueueAsync(queue, c);

        var after = Alert("poison-after");
        var afterId = after.MessageId!.Value.ToString();
        await bus.EventAsync(after.ToEvent(), afterId);
        await Eventually.TrueAsync(async () => ResponseValues.Count(await rig.Admin.CallAsync("listEvents", ("id", afterId))) == 1, "the valid event in the audit log", 60);
        await Eventually.TrueAsync(() => Task.FromResult(rig.Consumers.Output.Contains($"Alert {afterId}", StringComparison.Ordinal)), "the valid alert recorded", 60);

        var all = queues.SelectMany(q => q.Value.Select(c => (Queue: q.Key, Case: c))).ToList();
        var parked = new List<(string Queue, string Id)>();
        await Eventually.TrueAsync(async () =>
        {
            foreach (var queue in queues.Keys)
                if (await ExistsAsync(queue + "_error"))
                    parked.AddRange((await bus.TakeAsync(queue + "_error", all.Select(a => a.Case.Id).ToHashSet())).Select(p => (queue, p.Id)));
            return parked.Count >= all.Count - odd.Count;
        }, "the garbage in the _error queues", 90);
        var report = all.Select(a => (a.Queue, a.Case.Name,
            Fate: parked.Contains((a.Queue, a.Case.Id)) ? a.Queue + "_error" : "handled (not parked)",
            Log: LogLine(rig.Consumers, a.Case.Id))).ToList();
        foreach (var r in report) output.WriteLine($"{r.Queue} / {r.Name}: {r.Fate} | {r.Log}");
        output.WriteLine($"{all.Count} bad events tried; {parked.Count} parked in the _error queues; {odd.Count} odd-but-JSON alerts handled; "
            + $"then the valid alert {afterId}: audited and alerted");

        Assert.All(all.Where(a => !odd.Contains(a.Case)), a => Assert.Contains((a.Queue, a.Case.Id), parked));
        Assert.All(all.Where(a => !odd.Contains(a.Case)), a => Assert.NotEqual("NO LOG LINE", LogLine(rig.Consumers, a.Case.Id)));
        Assert.False(rig.Consumers.HasExited);
        foreach (var queue in queues.Keys) await AssertQueueEmptyAsync(queue);
    }

    internal static ResourceStateChanged Presence(string vmId, string routerId) => new()
    {
        MessageId = Guid.NewGuid(), EventType = EventTypes.AgentState, ResourceType = ResourceTypes.VirtualMachine, ResourceUuid = vmId,
        OldState = "Disconnected", NewState = "Up", ChangedAt = DateTimeOffset.UtcNow,
        Details = new Dictionary<string, string> { ["routerId"] = routerId, ["agentVersion"] = "test" },
    };

    private static AlertRaised Alert(string what) => new()
    {
        MessageId = Guid.NewGuid(), AlertType = EventTypes.AlertAgentUnreachable, Severity = AlertSeverity.Warning, GroupKey = "reliability/" + what,
        ResourceType = ResourceTypes.VirtualMachine, ResourceUuid = what, Subject = $"VM {what} seems to have no agent", Body = "test", RaisedAt = DateTimeOffset.UtcNow,
    };

    private static string Tail(ServiceProcess process) => string.Join('\n', process.Output.Split('\n').TakeLast(40));

    private static string LogLine(ServiceProcess process, string id) =>
        process.Output.Split('\n').FirstOrDefault(l => l.Contains(id, StringComparison.Ordinal))?.Trim() ?? "NO LOG LINE";

    private static async Task<List<(string Id, string? Type, string Body)>> TakeRepliesAsync(RawBus bus, string queue, IEnumerable<PoisonCase> asked) =>
        await bus.TakeAsync(queue, asked.Select(c => c.Id).ToHashSet(), byCorrelation: true);

    private async Task<List<DeadLetter>> DeadLettersAsync(IConnection connection, IReadOnlyCollection<PoisonCase> cases, int seconds)
    {
        var ids = cases.Select(c => c.Id).ToHashSet();
        var dead = new List<DeadLetter>();
        await using var channel = await connection.CreateChannelAsync();
        await Eventually.WithinAsync(async () => { dead.AddRange(await DeadLetters.TakeAsync(channel, ids)); return dead.Count >= cases.Count; }, seconds);
        return dead;
    }

    private async Task<bool> ExistsAsync(string queue) =>
        (await rig.Broker.Node.CtlAsync("list_queues", "--quiet", "--no-table-headers", "name")).Split('\n').Any(l => l.Trim() == queue);

    private async Task AssertQueueEmptyAsync(string queue) =>
        await Eventually.TrueAsync(async () => await BrokerProbe.QueueAsync(rig.Broker.Node.CtlAsync, queue) is { Ready: 0, Unacked: 0 }, $"{queue} empty (0 ready, 0 unacked)", 30);
}

[CollectionDefinition(Name)]
public sealed class ServicesCollection : ICollectionFixture<ServicesRig>
{
    public const string Name = "services";
}
