using System.Text.Json;
using Agents.Contracts.Commands;
using Agents.Contracts.Events;
using Agents.RouterBridge.Tests.Support;
using Agents.Testing;

namespace Agents.RouterBridge.Tests;

/// <summary>
/// Advanced health checks (scripts in the router's health_checks folder) on the real bridge
/// process and a real broker: a failing script raises an AlertEvent, its recovery resolves it,
/// and getRouterHealthCheckResults with performfreshchecks runs them now and keeps the results.
/// </summary>
[Collection(BrokerCollection.Name)]
public sealed class HealthCheckTests(BrokerFixture broker) : TempPkiTest, IAsyncLifetime
{
    private const string CheckName = "dns_resolver_check";
    private EventTap? _tap;

    private string FailFlag => Path.Combine(Temp.Path, "fail");

    public async Task InitializeAsync() => _tap = await EventTap.StartAsync(broker.AmqpUri(), "*.AlertEvent.#", "*.ActionEvent.#", "*.ResourceStateEvent.ROUTER-HEALTHCHECK.#");

    public async Task DisposeAsync()
    {
        if (_tap is not null) await _tap.DisposeAsync();
    }

    /// <summary>A health_checks folder with one script that fails while the flag file exists.</summary>
    private string ScriptsDirectory()
    {
        var directory = Temp.Sub("health_checks");
        var script = Path.Combine(directory, CheckName + ".sh");
        File.WriteAllText(script, $"""
            #!/bin/sh
            if [ -e '{FailFlag}' ]; then echo 'resolver 10.1.1.1 does not answer'; exit 1; fi
            echo 'resolver answers'
            """);
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(script, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return directory;
    }

    private BridgeProcess Bridge(bool scheduled) => new(Pki, broker.AmqpUri(), Temp.Path, new Dictionary<string, string>
    {
        ["Bridge__HealthChecks__Enabled"] = scheduled ? "true" : "false",
        ["Bridge__HealthChecks__ScriptsDirectory"] = ScriptsDirectory(),
        // router.health.checks.advanced.interval is in minutes (1 is its minimum); the basic ones stay out of the way
        ["Bridge__HealthChecks__AdvancedIntervalMinutes"] = "1",
        ["Bridge__HealthChecks__BasicIntervalMinutes"] = "1440",
    });

    private static string GroupKey(string routerId) => $"router-health/{routerId}/{CheckName}";

    [Fact]
    public async Task a_failing_advanced_check_raises_an_alert_event_and_the_next_passing_run_resolves_it()
    {
        File.WriteAllText(FailFlag, "");
        await using var bridge = Bridge(scheduled: true);
        await bridge.StartAsync();

        // the first advanced run comes 10 s after start
        var firing = await _tap!.WaitAsync(t => t.Alerts(GroupKey(bridge.RouterId)).FirstOrDefault(), "the AlertEvent of the failing script", 60);
        Assert.Equal(AlertState.Firing, firing.State);
        Assert.Equal(EventTypes.AlertRouterHealth, firing.AlertType);
        Assert.Equal(ResourceTypes.DomainRouter, firing.ResourceType);
        Assert.Equal(bridge.RouterId, firing.ResourceUuid);
        Assert.Contains("resolver 10.1.1.1 does not answer", firing.Body, StringComparison.Ordinal);

        File.Delete(FailFlag);
        // the next scheduled run, a minute later
        var resolved = await _tap.WaitAsync(t => t.Alerts(GroupKey(bridge.RouterId)).FirstOrDefault(a => a.State == AlertState.Resolved),
            "the resolved AlertEvent after the script passes again", 100);
        Assert.Equal(firing.GroupKey, resolved.GroupKey);
        Assert.Contains("passes again", resolved.Subject, StringComparison.Ordinal);
        Assert.Single(_tap.Alerts(GroupKey(bridge.RouterId)), a => a.State == AlertState.Firing);
    }

    [Fact]
    public async Task perform_fresh_checks_runs_the_scripts_now_publishes_firing_then_resolved_and_keeps_the_results()
    {
        File.WriteAllText(FailFlag, "");
        await using var bridge = Bridge(scheduled: false);
        await bridge.StartAsync();
        await using var commands = new RouterCommands(broker.AmqpUri());

        var failing = await FreshChecksAsync(commands, bridge.RouterId);
        Assert.Equal(CommandOutcome.Success, failing.Outcome);
        Assert.Equal(1, failing.ExitCode);
        Assert.False(Result(failing.Stdout).GetProperty("success").GetBoolean());
        var firing = await _tap!.WaitAsync(t => t.Alerts(GroupKey(bridge.RouterId)).FirstOrDefault(), "the AlertEvent of the failing script", 30);
        Assert.Equal(AlertState.Firing, firing.State);

        // a second failing run is the same condition: no second alert
        await FreshChecksAsync(commands, bridge.RouterId);
        File.Delete(FailFlag);
        var passing = await FreshChecksAsync(commands, bridge.RouterId);
        Assert.Equal(0, passing.ExitCode);
        Assert.Equal("resolver answers", Result(passing.Stdout).GetProperty("details").GetString());
        var resolved = await _tap.WaitAsync(t => t.Alerts(GroupKey(bridge.RouterId)).FirstOrDefault(a => a.State == AlertState.Resolved),
            "the resolved AlertEvent", 30);
        Assert.Equal(firing.GroupKey, resolved.GroupKey);
        Assert.Single(_tap.Alerts(GroupKey(bridge.RouterId)), a => a.State == AlertState.Firing);

        // what the API keeps for getRouterHealthCheckResults: every result as a ROUTER.HEALTHCHECK ResourceStateEvent
        var state = await _tap.WaitAsync(t => t.Events.LastOrDefault(e => e.Category == EventCategory.ResourceStateEvent
            && e.ResourceUuid == bridge.RouterId && e["checkName"] == CheckName && e["new-state"] == "Passed"), "the Passed ROUTER.HEALTHCHECK state event", 30);
        Assert.Equal("Failed", state["old-state"]);
        Assert.Equal("Advanced", state["checkType"]);
        Assert.Equal("resolver answers", state["details"]);

        // kept by the bridge, on disk too (a failing check stays known across a restart)
        using var kept = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(bridge.DataDirectory, "health-checks.json")));
        var check = kept.RootElement.EnumerateArray().Single(r => r.GetProperty("checkName").GetString() == CheckName);
        Assert.True(check.GetProperty("success").GetBoolean());
    }

    [Fact]
    public async Task the_basic_checks_find_the_broker_the_agent_listener_and_the_router_certificate_healthy()
    {
        await using var bridge = Bridge(scheduled: false);
        await bridge.StartAsync();
        await using var commands = new RouterCommands(broker.AmqpUri());

        var command = await commands.SendAsync(bridge.RouterId, CommandTypes.RunHealthChecks, new RunHealthChecks { CheckType = HealthCheckType.Basic });
        var outcome = await _tap!.WaitAsync(t => t.Outcome(command.CommandId), "the outcome of the basic checks", 60);

        using var results = JsonDocument.Parse(outcome.Stdout!);
        var checks = results.RootElement.EnumerateArray().ToDictionary(r => r.GetProperty("checkName").GetString()!, r => r.Clone());
        Assert.All(new[] { "broker_connection_check", "agent_listener_check", "router_certificate_check" }, name =>
            Assert.True(checks[name].GetProperty("success").GetBoolean(), $"{name}: {checks[name].GetProperty("details").GetString()}"));
        Assert.Contains("cpu_usage_check", checks.Keys);
        Assert.Contains("memory_usage_check", checks.Keys);
        Assert.Contains("disk_space_check", checks.Keys);
    }

    private async Task<AgentCommandCompleted> FreshChecksAsync(RouterCommands commands, string routerId)
    {
        var command = await commands.SendAsync(routerId, CommandTypes.RunHealthChecks, new RunHealthChecks { CheckType = HealthCheckType.Advanced });
        return await _tap!.WaitAsync(t => t.Outcome(command.CommandId), $"the outcome of RunHealthChecks {command.CommandId}", 60);
    }

    private static JsonElement Result(string? stdout)
    {
        Assert.NotNull(stdout);
        using var results = JsonDocument.Parse(stdout);
        return results.RootElement.EnumerateArray().Single(r => r.GetProperty("checkName").GetString() == CheckName).Clone();
    }
}
