using Agents.Contracts.Events;

namespace Agents.Contracts.Tests;

public sealed class RoutingKeyTests
{
    [Fact]
    public void a_dot_inside_a_field_becomes_a_dash_and_an_empty_field_a_star()
    {
        Assert.Equal("management-server.ActionEvent.VM-RESETPASSWORD.VirtualMachine.abc",
            EventRoutingKey.Build("management-server", "ActionEvent", "VM.RESETPASSWORD", "VirtualMachine", "abc"));
        Assert.Equal("agents-framework.AlertEvent.ALERT-AGENT-UNREACHABLE.*.*",
            EventRoutingKey.Build("agents-framework", "AlertEvent", "ALERT.AGENT.UNREACHABLE", null, ""));
    }

    [Fact]
    public void command_routing_keys_name_the_router_and_the_target()
    {
        Assert.Equal("router.r1.vm.v1", Topology.CommandRoutingKey("r1", "v1"));
        Assert.Equal("router.r1.self", Topology.CommandRoutingKey("r1", null));
        Assert.Equal("router.r1.#", Topology.RouterBinding("r1"));
    }

    [Fact]
    public void a_cloudstack_alert_subscriber_pattern_matches_our_alerts()
    {
        var key = new Agents.Contracts.Events.AlertRaised
        {
            MessageId = Guid.NewGuid(), AlertType = EventTypes.AlertAgentUnreachable, Severity = AlertSeverity.Critical,
            GroupKey = "g", ResourceType = ResourceTypes.VirtualMachine, ResourceUuid = "v1", Subject = "s", Body = "b", RaisedAt = DateTimeOffset.UtcNow,
        }.ToEvent().RoutingKey;
        var parts = key.Split('.');
        Assert.Equal(5, parts.Length);
        Assert.Equal("AlertEvent", parts[1]);
    }

    [Fact]
    public void an_event_missing_a_required_field_is_refused_with_its_name()
    {
        var e = new CloudStackEvent
        {
            Source = "x", Category = EventCategory.ActionEvent, Type = "VM.RESETPASSWORD",
            Description = new Dictionary<string, string?> { ["commandId"] = Guid.NewGuid().ToString(), ["outcome"] = "Success" },
        };
        var error = Assert.Throws<InvalidEventException>(() => AgentCommandCompleted.FromEvent(e));
        Assert.Contains("messageId", error.Message);
    }

    [Fact]
    public void garbage_is_an_invalid_message_not_a_crash()
    {
        Assert.Throws<InvalidMessageException>(() => AgentJson.Deserialize<Commands.AgentCommand>("{\"type\":"u8));
        Assert.Throws<InvalidMessageException>(() => AgentJson.Deserialize<Commands.AgentCommand>("null"u8));
        Assert.Throws<InvalidMessageException>(() => AgentJson.Deserialize<Commands.AgentCommand>(new byte[] { 0xff, 0xfe }));
    }
}
