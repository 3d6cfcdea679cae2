using System.Security.Cryptography;
using System.Text;
using Agents.Contracts;
using Agents.Contracts.Commands;
using Agents.ReliabilityTests.Support;
using Agents.Testing;
using Agents.VmAgent.Core.Policy;
using Xunit.Abstractions;
using Agents.Messaging.Internal;

namespace Agents.ReliabilityTests;

/// <summary>
/// Fault: the bridge process is killed with SIGKILL while the agent runs a command. The command
/// was not acknowledged, so the broker delivers it again to the restarted bridge; the agent's
/// journal answers the repeat without running it again; exactly one outcome is published.
/// </summary>
[Collection(BridgeCollection.Name)]
public sealed class BridgeCrashTests(BrokerFixture broker, ITestOutputHelper output)
{
    [Fact]
    public async Task a_bridge_killed_with_sigkill_mid_command_gets_it_again_and_the_agent_does_not_run_it_twice()
    {
        var (commands, runs, outcomes) = await KillMidCommandAsync(vms: 1, commandsPerVm: 1, kills: 1);
        Assert.Equal((1, 1), (runs, outcomes));
        Assert.Equal(1, commands);
    }

    [Fact]
    [Trait("Category", "Slow")]
    public async Task twenty_commands_through_two_bridge_kills_each_run_once_with_one_outcome()
    {
        var (commands, runs, outcomes) = await KillMidCommandAsync(vms: 4, commandsPerVm: 5, kills: 2);
        Assert.Equal((commands, commands), (runs, outcomes));
    }

    [Fact]
    public async Task a_batch_redelivered_after_a_bridge_kill_runs_no_target_twice()
    {
        var (commands, runs, outcomes) = await KillMidCommandAsync(vms: 3, commandsPerVm: 1, kills: 1, batched: true);
        Assert.Equal((3, 3, 3), (commands, runs, outcomes));
    }

    /// <param name="batched">each round's commands to the VMs go as one <see cref="AgentCommandBatch"/>.</param>
    /// <returns>commands sent, recipe runs counted on the VMs, outcomes published.</returns>
    private async Task<(int Commands, int Runs, int Outcomes)> KillMidCommandAsync(int vms, int commandsPerVm, int kills, bool batched = false)
    {
        await using var rig = new BridgeRig(broker);
        await rig.Bridge.StartAsync();
        await using var tap = await EventTap.StartAsync(broker.AmqpUri());
        var runs = Path.Combine(rig.Temp.Path, "runs");
        Directory.CreateDirectory(runs);
        // each run leaves a file named after its command id; a second run of the same id would append a second line
        var script = Encoding.UTF8.GetBytes($"echo run >> '{runs}/'\"$RECIPE_COMMAND_ID\"\nsleep 3\n");
        var policy = TestPolicies.WithRecipes(new RecipePolicy("slow-once", Convert.ToHexStringLower(SHA256.HashData(script))));

        var agents = new List<TestAgent>();
        var sent = new List<AgentCommand>();
        try
        {
            for (var v = 0; v < vms; v++)
            {
                var vm = $"vm-crash-{v}";
                var agent = rig.Agent(vm, policy);
                agents.Add(agent);
                var recipes = Directory.CreateDirectory(Path.Combine(agent.Directory, "recipes")).FullName;
                await File.WriteAllBytesAsync(Path.Combine(recipes, "slow-once.sh"), script);
                await Eventually.TrueAsync(() => rig.Bridge.Count($"agent of VM {vm} up") > 0, $"the agent of {vm} to connect", 60);
            }
            for (var c = 0; c < commandsPerVm; c++)
            {
                var jobId = Guid.NewGuid();
                var round = new List<AgentCommand>();
                foreach (var v in Enumerable.Range(0, vms))
                {
                    var commandId = Guid.NewGuid();
                    var command = rig.Command($"vm-crash-{v}", CommandTypes.RunRecipe,
                        new RunRecipe { Name = "slow-once", TimeoutSeconds = 60, Parameters = new Dictionary<string, string> { ["COMMAND_ID"] = commandId.ToString() } },
                        executionTimeoutSeconds: 120) with { CommandId = commandId, JobId = batched ? jobId : Guid.NewGuid() };
                    sent.Add(command);
                    round.Add(command);
                    if (!batched) await new BusPublisher(rig.Publisher).SendAsync(command);
                }
                if (batched) await new BusPublisher(rig.Publisher).SendAsync(AgentCommandBatch.Of(round));
            }

            for (var k = 1; k <= kills; k++)
            {
                // kill while commands are running on the agents and none of their outcomes is out yet for the last ones
                var before = Directory.GetFiles(runs).Length;
                await Eventually.TrueAsync(() => Directory.GetFiles(runs).Length > before || Directory.GetFiles(runs).Length == sent.Count, "a command running on an agent", 90);
                var outcomesBefore = tap.Outcomes.Count;
                await rig.Bridge.KillAsync();
                output.WriteLine($"kill {k}: SIGKILL to bridge pid with {Directory.GetFiles(runs).Length} of {sent.Count} commands started, {outcomesBefore} outcomes published");
                await Eventually.TrueAsync(async () => (await BrokerProbe.QueueAsync(broker.Node.CtlAsync, Topology.RouterQueue(rig.RouterId))).Unacked == 0,
                    "the broker to take back what the dead bridge held", 60);
                var held = await BrokerProbe.QueueAsync(broker.Node.CtlAsync, Topology.RouterQueue(rig.RouterId));
                output.WriteLine($"kill {k}: the broker holds {held.Ready} commands ready for redelivery");
                await rig.Bridge.StartAsync();
            }

            await Eventually.TrueAsync(() => sent.All(s => tap.For(s.CommandId).Count > 0), "an outcome for every command", 180);
            await Task.Delay(TimeSpan.FromSeconds(5)); // a second outcome, if any, would come now
            var queue = await BrokerProbe.QueueAsync(broker.Node.CtlAsync, Topology.RouterQueue(rig.RouterId));
            var runCount = Directory.GetFiles(runs).Sum(f => File.ReadAllLines(f).Length);
            var outcomes = sent.Sum(s => tap.For(s.CommandId).Count);
            var replayed = agents.Sum(a => a.Log.Lines.Count(l => l.Contains("already processed", StringComparison.Ordinal)));
            var redelivered = rig.Bridge.Lines.Count(l => !l.StartsWith("[1]", StringComparison.Ordinal) && l.Contains("delivered to VM", StringComparison.Ordinal));
            output.WriteLine($"{sent.Count} commands on {vms} VMs, {kills} SIGKILL(s): {runCount} runs on the agents, {outcomes} outcomes published "
                + $"({string.Join(", ", sent.SelectMany(s => tap.For(s.CommandId)).GroupBy(o => o.Outcome).Select(g => $"{g.Count()} {g.Key}"))}); "
                + $"{redelivered} relays by the restarted bridge, {replayed} answered from the agent journal; router queue {queue.Ready} ready / {queue.Unacked} unacked");

            Assert.False(rig.Bridge.HasExited);
            Assert.All(sent, s => Assert.Single(tap.For(s.CommandId)));
            Assert.All(sent, s => Assert.Equal(CommandOutcome.Success, tap.For(s.CommandId)[0].Outcome));
            Assert.All(Directory.GetFiles(runs), f => Assert.Single(File.ReadAllLines(f)));
            Assert.True(redelivered > 0, "the restarted bridge relayed nothing:\n" + rig.Bridge.Tail());
            Assert.Equal((0, 0), (queue.Ready, queue.Unacked));
            return (sent.Count, runCount, outcomes);
        }
        finally
        {
            foreach (var agent in agents) await agent.DisposeAsync();
        }
    }
}
