using Agents.Contracts.Commands;
using Agents.Contracts.Events;
using Agents.RouterBridge.Tests.Support;
using Agents.Testing;
using Agents.VmAgent.Core.Policy;

namespace Agents.RouterBridge.Tests;

/// <summary>
/// The bridge's scheduled health checks reach the system VMs connected to it: a real bridge process,
/// a real broker and an agent whose policy allows RunHealthChecks (an SSVM's); the agent's failing
/// script becomes an ALERT.SYSTEMVM.HEALTH AlertEvent about the VM, beside its ResourceStateEvent.
/// </summary>
[Collection(BrokerCollection.Name)]
public sealed class SystemVmHealthCheckTests(BrokerFixture broker) : TempPkiTest, IAsyncLifetime
{
    private const string VmId = "5e5e0000-aaaa-4a4a-9c9c-00000000000a";
    private const string CheckName = "secondary_storage_check";
    private EventTap? _tap;

    public async Task InitializeAsync() => _tap = await EventTap.StartAsync(broker.AmqpUri(), "*.AlertEvent.#", "*.ResourceStateEvent.ROUTER-HEALTHCHECK.#");

    public async Task DisposeAsync()
    {
        if (_tap is not null) await _tap.DisposeAsync();
    }

    [Fact]
    public async Task a_scheduled_round_runs_the_system_vms_checks_through_its_agent_and_a_failing_one_raises_an_alert_about_the_vm()
    {
        await using var bridge = new BridgeProcess(Pki, broker.AmqpUri(), Temp.Path, new Dictionary<string, string>
        {
            ["Bridge__HealthChecks__Enabled"] = "true",
            ["Bridge__HealthChecks__ScriptsDirectory"] = Temp.Sub("router-checks"),
            // the first advanced round 10 s after start, the next a minute later; the basic ones stay out of the way
            ["Bridge__HealthChecks__AdvancedIntervalMinutes"] = "1",
            ["Bridge__HealthChecks__BasicIntervalMinutes"] = "1440",
        });
        await bridge.StartAsync();

        var checks = Temp.Sub("ssvm-checks");
        var script = Path.Combine(checks, CheckName + ".sh");
        await File.WriteAllTextAsync(script, "#!/bin/sh\necho 'NFS secondary storage not mounted'\nexit 1\n");
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(script, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var dir = Temp.Sub("ssvm");
        Pki.EnrollAgent(Path.Combine(dir, "data"), VmId);
        var policy = new AgentPolicy([CommandTypes.RunHealthChecks, CommandTypes.RekeyCertificate], [], Privileged: true);
        await using var agent = new TestAgent(dir, Pki.WriteRootPem(Temp.Path), ["127.0.0.1"], bridge.Port, token: null, policy, healthChecksDirectory: checks);
        await Eventually.TrueAsync(() => agent.Client.IsConnected, $"the system VM's agent to connect\n{bridge.Tail()}", 30);

        var firing = await _tap!.WaitAsync(t => t.Alerts($"systemvm-health/{VmId}/{CheckName}").FirstOrDefault(),
            $"the AlertEvent of the system VM's failing script\n{bridge.Tail()}", 100);
        Assert.Equal((EventTypes.AlertSystemVmHealth, AlertState.Firing, AlertSeverity.Warning), (firing.AlertType, firing.State, firing.Severity));
        Assert.Equal((ResourceTypes.VirtualMachine, VmId), (firing.ResourceType, firing.ResourceUuid));
        Assert.Contains("NFS secondary storage not mounted", firing.Body, StringComparison.Ordinal);
        Assert.Contains($"getSystemVmHealthCheckResults id={VmId}", firing.Body, StringComparison.Ordinal);

        // each result is a ROUTER.HEALTHCHECK ResourceStateEvent about the VM, which the API keeps for getSystemVmHealthCheckResults
        var state = _tap.Events.Select(RouterHealthChecked.FromEvent).FirstOrDefault(c => c?.RouterId == VmId && c.Result.CheckName == CheckName);
        Assert.NotNull(state);
        Assert.Equal((ResourceTypes.VirtualMachine, false), (state.ResourceType, state.Result.Success));
    }
}
