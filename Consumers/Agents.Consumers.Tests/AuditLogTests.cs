using System.Text.Json;
using Agents.Storage;
using Agents.Storage.Audit;
using Agents.Consumers.Tests.Support;
using Agents.Contracts.Commands;
using Agents.Contracts.Events;
using Agents.Testing;

namespace Agents.Consumers.Tests;

[Collection(BrokerCollection.Name)]
public sealed class AuditLogTests(BrokerFixture broker)
{
    [Fact]
    public async Task every_event_on_the_bus_is_audited_once_queryable_like_list_events_and_exported_as_json_lines()
    {
        await using var smtp = await SmtpSink.StartAsync();
        await using var consumers = ConsumersProcess.Start(broker.AmqpUri("consumers"), smtp.Port);
        await consumers.WaitUntilBoundAsync();
        await using var events = new Events(broker, "admin");

        var vm = Guid.NewGuid().ToString();
        var job = Guid.NewGuid();
        var failed = new AgentCommandCompleted
        {
            MessageId = Guid.NewGuid(), CommandId = Guid.NewGuid(), JobId = job, CommandType = CommandTypes.ResetVmPassword,
            RouterId = "r1", VmId = vm, Outcome = CommandOutcome.DeliveryTimedOut, Message = "no agent connected", CompletedAt = DateTimeOffset.UtcNow,
        }.ToEvent();
        var presence = new ResourceStateChanged
        {
            MessageId = Guid.NewGuid(), EventType = EventTypes.AgentState, ResourceType = ResourceTypes.VirtualMachine, ResourceUuid = vm,
            OldState = "Up", NewState = "Down", ChangedAt = DateTimeOffset.UtcNow,
        }.ToEvent();
        var jobEvent = new AsyncJobChanged
        {
            MessageId = Guid.NewGuid(), JobEvent = AsyncJobChanged.Complete, JobId = job, Command = "resetPasswordForVirtualMachine", Status = AsyncJobStatus.Failed,
            ResultCode = 530, Stage = "Failed", InstanceType = ResourceTypes.VirtualMachine, InstanceUuid = vm, ChangedAt = DateTimeOffset.UtcNow,
        }.ToEvent();
        var revoked = new CertificateChanged
        {
            MessageId = Guid.NewGuid(), EventType = EventTypes.CertificateRevoked, SerialNumber = "ABCDEF0123", Subject = "CN=vm",
            Holder = $"urn:cloudstack:vm:{vm}", RevocationReason = "keyCompromise", At = DateTimeOffset.UtcNow,
        }.ToEvent();
        var alert = Events.CertificateExpiring("ABCDEF0123", $"urn:cloudstack:vm:{vm}").ToEvent();
        CloudStackEvent[] all = [failed, presence, jobEvent, revoked, alert];
        await events.PublishAllAsync(all);
        await events.PublishAsync(presence); // a duplicate (same messageId), as a publisher retry would make

        var store = await AuditStore.OpenAsync(Database.Sqlite(consumers.AuditDatabasePath));
        await Eventually.TrueAsync(async () => (await store.QueryAsync(new AuditQuery())).TotalCount >= all.Length, "5 audited events");
        await Eventually.TrueAsync(async () => await broker.MessagesInAsync(consumers.AuditQueue) == 0, "the audit queue drained");
        Assert.Equal(all.Length, (await store.QueryAsync(new AuditQuery())).TotalCount);

        var aboutVm = await store.QueryAsync(new AuditQuery { ResourceId = vm });
        Assert.Equal([EventTypes.AgentState, EventTypes.AsyncJob, EventTypes.VmResetPassword], aboutVm.Items.Select(r => r.Type).Order(StringComparer.Ordinal));
        var errors = await store.QueryAsync(new AuditQuery { Level = "ERROR" });
        Assert.Equal([EventTypes.AsyncJob, EventTypes.VmResetPassword], errors.Items.Select(r => r.Type).Order(StringComparer.Ordinal));
        var record = Assert.Single((await store.QueryAsync(new AuditQuery { Type = EventTypes.VmResetPassword })).Items);
        Assert.Equal(failed["messageId"], record.EventId);
        Assert.Equal(failed.RoutingKey, record.RoutingKey);
        Assert.Equal(EventCategory.ActionEvent, record.Category);
        Assert.Contains("no agent connected", record.Description, StringComparison.Ordinal);
        var warnings = await store.QueryAsync(new AuditQuery { Level = "warn", Category = EventCategory.AlertEvent });
        Assert.Equal(EventTypes.AlertCertificateExpiring, Assert.Single(warnings.Items).Type);

        var lines = new StringWriter();
        Assert.Equal(all.Length, await store.ExportJsonLinesAsync(new AuditQuery(), lines));
        var exported = lines.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.Equal(all.Select(e => e["messageId"]).Order(StringComparer.Ordinal), exported.Select(e => e.GetProperty("id").GetString()).Order(StringComparer.Ordinal));
        var revokedLine = exported.Single(e => e.GetProperty("type").GetString() == EventTypes.CertificateRevoked);
        Assert.Equal("keyCompromise", revokedLine.GetProperty("body").GetProperty("revocationReason").GetString());
        Assert.Equal(revoked.RoutingKey, revokedLine.GetProperty("routingKey").GetString());

        // the operator's export: the same lines from the command line, filtered like listEvents
        var export = await ProcessRunner.RunAsync("dotnet",
            [ConsumersProcess.DllPath, "export-audit", $"--Consumers:AuditDatabasePath={consumers.AuditDatabasePath}", $"--Export:ResourceId={vm}", "--Export:Level=ERROR"]);
        Assert.True(export.ExitCode == 0, export.Output);
        var exportedTypes = export.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => JsonDocument.Parse(l).RootElement.GetProperty("type").GetString()).ToList();
        Assert.Equal([EventTypes.VmResetPassword, EventTypes.AsyncJob], exportedTypes.OrderDescending(StringComparer.Ordinal));
    }

    [Fact]
    public async Task a_cloudstack_event_from_another_publisher_without_our_fields_is_audited_too()
    {
        await using var smtp = await SmtpSink.StartAsync();
        await using var consumers = ConsumersProcess.Start(broker.AmqpUri("consumers"), smtp.Port);
        await consumers.WaitUntilBoundAsync();

        // CloudStack's own management server publishes this shape: no messageId, no AMQP message-id
        const string publish = """
            import pika, sys
            c = pika.BlockingConnection(pika.URLParameters(sys.argv[1])); ch = c.channel(); ch.confirm_delivery()
            ch.basic_publish('cloudstack-events', 'management-server.ActionEvent.VM-CREATE.VirtualMachine.0e5a1c7f-aaaa-bbbb-cccc-000000000001',
                b'{"status":"Completed","event":"VM.CREATE","entity":"VirtualMachine","entityuuid":"0e5a1c7f-aaaa-bbbb-cccc-000000000001","description":"Successfully completed deploying Vm","eventDateTime":"2026-11-24 10:00:00 +0000"}',
                pika.BasicProperties(delivery_mode=2))
            c.close()
            """;
        var result = await ProcessRunner.RunAsync("/usr/bin/python3", ["-c", publish, broker.AmqpUri("admin")]);
        Assert.True(result.ExitCode == 0, result.Output);

        var store = await AuditStore.OpenAsync(Database.Sqlite(consumers.AuditDatabasePath));
        await Eventually.TrueAsync(async () => (await store.QueryAsync(new AuditQuery())).TotalCount == 1, "the foreign event audited");
        var record = Assert.Single((await store.QueryAsync(new AuditQuery { Type = "vm.create", ResourceType = "VirtualMachine" })).Items);
        Assert.Equal("management-server", record.Source);
        Assert.Equal("0e5a1c7f-aaaa-bbbb-cccc-000000000001", record.ResourceId);
        Assert.Equal("Successfully completed deploying Vm", record.Description);
        Assert.Equal(new DateTimeOffset(2026, 11, 24, 10, 0, 0, TimeSpan.Zero), record.OccurredAt);
        Assert.StartsWith("sha256:", record.EventId, StringComparison.Ordinal);
    }
}
