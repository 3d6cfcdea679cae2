using System.Text;
using Agents.Contracts.Commands;
using Agents.Contracts.Events;

namespace Agents.Contracts.Tests;

public sealed class event_reader_tests
{
    private static CloudStackEvent Delivered(CloudStackEvent e) => CloudStackEvent.Read(e.RoutingKey, e.ToUtf8());

    [Fact]
    public void every_event_we_publish_reads_back_through_its_typed_reader()
    {
        var at = new DateTimeOffset(2026, 11, 24, 10, 0, 0, TimeSpan.Zero);
        var outcome = new AgentCommandCompleted
        {
            MessageId = Guid.NewGuid(), CommandId = Guid.NewGuid(), JobId = Guid.NewGuid(), CommandType = CommandTypes.ResetVmSshKey,
            RouterId = "r-1", VmId = "vm.1", Outcome = CommandOutcome.Rejected, Attempt = 2, Message = "policy", CompletedAt = at,
        };
        Assert.Equal(outcome, AgentCommandCompleted.FromEvent(Delivered(outcome.ToEvent())));

        var state = new AgentStateChanged
        {
            MessageId = Guid.NewGuid(), VmId = "vm-1", RouterId = "r-1", OldState = AgentStates.Up, NewState = AgentStates.Down,
            Capabilities = ["A", "B"], Reason = "closed", ChangedAt = at,
        };
        var stateBack = AgentStateChanged.FromEvent(Delivered(state.ToEvent()))!;
        Assert.Equal(state with { Capabilities = [] }, stateBack with { Capabilities = [] });
        Assert.Equal(state.Capabilities, stateBack.Capabilities);

        var job = new AsyncJobChanged
        {
            MessageId = Guid.NewGuid(), JobEvent = AsyncJobChanged.Complete, JobId = Guid.NewGuid(), Command = "runAgentRecipe",
            Status = AsyncJobStatus.Failed, ResultCode = 530, Account = "acme", ChangedAt = at,
            JobResult = System.Text.Json.JsonDocument.Parse("""{"errorcode":530,"errortext":"no"}""").RootElement,
        };
        var jobBack = AsyncJobChanged.FromEvent(Delivered(job.ToEvent()));
        Assert.Equal(530, jobBack.JobResult!.Value.GetProperty("errorcode").GetInt32());
        Assert.Null(jobBack.InstanceType);
        Assert.Equal(job with { JobResult = null }, jobBack with { JobResult = null });

        var setting = new ConfigurationChanged { MessageId = Guid.NewGuid(), Name = "router.health.checks.basic.interval", Value = "", Account = "admin", At = at };
        Assert.Equal(setting, ConfigurationChanged.FromEvent(Delivered(setting.ToEvent())));

        Assert.Null(AgentStateChanged.FromEvent(Delivered(outcome.ToEvent())));
        Assert.Null(AgentCommandCompleted.FromEvent(Delivered(state.ToEvent())));
        Assert.Null(ConfigurationChanged.FromEvent(Delivered(outcome.ToEvent())));
    }

    [Fact]
    public void a_dot_in_an_id_survives_the_routing_key_because_the_body_names_the_resource()
    {
        var e = Delivered(new AgentStateChanged { MessageId = Guid.NewGuid(), VmId = "vm.7", RouterId = "r", NewState = AgentStates.Up, ChangedAt = DateTimeOffset.UtcNow }.ToEvent());
        Assert.EndsWith(".VirtualMachine.vm-7", e.RoutingKey, StringComparison.Ordinal);
        Assert.Equal("vm.7", e.ResourceUuid);
        Assert.Equal(EventTypes.AgentState, e.Type);
    }

    [Fact]
    public void an_async_job_event_as_cloudstack_publishes_it_reads_as_one()
    {
        // ApiServer.handleAsyncJobPublishEvent: string values, jobResult and cmdInfo as objects, no eventDateTime
        const string body = """
            {"command":"org.apache.cloudstack.api.command.user.vm.StartVMCmd","user":"u-uuid","account":"a-uuid","processStatus":"0",
             "resultCode":"0","instanceUuid":"vm-uuid","instanceType":"VirtualMachine","commandEventType":"VM.START",
             "jobId":"9a0b1c2d-3e4f-4a5b-8c6d-7e8f9a0b1c2d","jobResult":{"virtualmachine":{"id":"vm-uuid"}},
             "cmdInfo":{"id":"vm-uuid","response":"json","cmdEventType":"VM.START"},"status":"1"}
            """;
        var e = CloudStackEvent.Read("management-server.AsyncJobEvent.complete.VirtualMachine.vm-uuid", Encoding.UTF8.GetBytes(body));
        var job = AsyncJobChanged.FromEvent(e);
        Assert.Equal((AsyncJobChanged.Complete, AsyncJobStatus.Succeeded, "VM.START", "VirtualMachine", "vm-uuid", (Guid?)null),
            (job.JobEvent, job.Status, job.CommandEventType, job.InstanceType, job.InstanceUuid, job.MessageId));
        Assert.Equal("vm-uuid", job.CmdInfo!.Value.GetProperty("id").GetString());
        Assert.Equal(EventTypes.AsyncJob, e.ListedType);
    }

    [Fact]
    public void an_alert_as_cloudstack_publishes_it_reads_without_our_fields()
    {
        const string body = """{"event":"ALERT.MEMORY","dataCenterId":"z-uuid","subject":"low memory","body":"host h1","eventDateTime":"2026-11-24 10:00:00 +0000"}""";
        var alert = AlertRaised.FromEvent(CloudStackEvent.Read("management-server.AlertEvent.ALERT-MEMORY.*.*", Encoding.UTF8.GetBytes(body)));
        Assert.Equal(("ALERT.MEMORY", (AlertSeverity?)null, AlertState.Firing, "z-uuid", new DateTimeOffset(2026, 11, 24, 10, 0, 0, TimeSpan.Zero)),
            (alert.AlertType, alert.Severity, alert.State, alert.DataCenterId, alert.RaisedAt));
        Assert.Null(alert.ResourceUuid);
    }

    [Fact]
    public void cloudstacks_own_configuration_event_is_not_read_as_ours_and_ours_without_an_id_is_refused()
    {
        // ActionEventUtils: the setting is named only in the description, and it is CloudStack's setting, not ours
        const string cloudstacks = """{"status":"Completed","event":"CONFIGURATION.VALUE.EDIT","entity":"com.cloud.dc.ClusterDetailsVO","entityuuid":"x","description":"Successfully completed updating configuration. Name: x New Value: y","eventDateTime":"2026-11-24 10:00:00 +0000"}""";
        Assert.Null(ConfigurationChanged.FromEvent(CloudStackEvent.Read("management-server.ActionEvent.CONFIGURATION-VALUE-EDIT.Configuration.x", Encoding.UTF8.GetBytes(cloudstacks))));

        const string ours = """{"status":"Completed","event":"CONFIGURATION.VALUE.EDIT","entityuuid":"ca.plugin.root.auth.strictness","name":"ca.plugin.root.auth.strictness","value":"true"}""";
        Assert.Throws<InvalidEventException>(() => ConfigurationChanged.FromEvent(
            CloudStackEvent.Read("management-server.ActionEvent.CONFIGURATION-VALUE-EDIT.Configuration.x", Encoding.UTF8.GetBytes(ours))));
    }

    [Theory]
    [InlineData("management-server.ActionEvent.VM-START", "{}")]
    [InlineData("management-server.ActionEvent.VM-START.VirtualMachine.v", "[1]")]
    [InlineData("management-server.ActionEvent.VM-START.VirtualMachine.v", "{\"event\":")]
    public void a_delivery_that_is_no_cloudstack_event_is_refused_with_the_reason(string routingKey, string body)
    {
        var error = Assert.Throws<InvalidEventException>(() => CloudStackEvent.Read(routingKey, Encoding.UTF8.GetBytes(body)));
        Assert.Matches("routing key|not a JSON object|not JSON", error.Message);
    }

    [Fact]
    public void a_body_with_invalid_utf8_in_a_string_is_refused()
    {
        byte[] body = [.. "{\"event\":\""u8, 0xff, 0xfe, .. "\"}"u8];
        Assert.Throws<InvalidEventException>(() => CloudStackEvent.Read("management-server.ActionEvent.X.*.*", body));
    }
}
