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
/// Fault: the agent goes away while it runs a command, through the real bridge process. Its TCP
/// connection is reset mid-command (network failure), or the agent itself is stopped and started
/// again on the same data directory. Either way the command ends in exactly one outcome on the
/// bus, and its effect (a line the sandboxed recipe writes) happens once: the agent's journal
/// answers a repeat instead of running it again.
/// </summary>
[Collection(BridgeCollection.Name)]
public sealed class AgentDisconnectTests(BrokerFixture broker, ITestOutputHelper output)
{
    [Fact]
    public Task an_agent_whose_connection_drops_mid_command_runs_it_once_and_it_gets_one_outcome() => RunAsync(restartAgent: false);

    [Fact]
    public Task an_agent_restarted_mid_command_gets_it_again_does_not_run_it_twice_and_it_gets_one_outcome() => RunAsync(restartAgent: true);

    private async Task RunAsync(bool restartAgent)
    {
        const string vm = "vm-drop";
        await using var rig = new BridgeRig(broker);
        await rig.Bridge.StartAsync();
        await using var tap = await EventTap.StartAsync(broker.AmqpUri());
        await using var relay = new TcpRelay(rig.Bridge.Port);
        var runs = Directory.CreateDirectory(Path.Combine(rig.Temp.Path, "runs")).FullName;
        // the recipe runs in the agent's sandbox; each run appends a line to a file named after its command id
        var script = Encoding.UTF8.GetBytes($"echo run >> '{runs}/'\"$RECIPE_COMMAND_ID\"\nsleep 4\necho done >> '{runs}/'\"$RECIPE_COMMAND_ID\"\n");
        var policy = TestPolicies.WithRecipes(new RecipePolicy("slow-once", Convert.ToHexStringLower(SHA256.HashData(script))));
        var agent = rig.Agent(vm, policy, relay.Port);
        try
        {
            var recipes = Directory.CreateDirectory(Path.Combine(agent.Directory, "recipes")).FullName;
            await File.WriteAllBytesAsync(Path.Combine(recipes, "slow-once.sh"), script);
            await Eventually.TrueAsync(() => rig.Bridge.Count($"agent of VM {vm} up") > 0, "the agent to connect through the relay", 60);

            var commandId = Guid.NewGuid();
            var command = rig.Command(vm, CommandTypes.RunRecipe,
                new RunRecipe { Name = "slow-once", TimeoutSeconds = 60, Parameters = new Dictionary<string, string> { ["COMMAND_ID"] = commandId.ToString() } },
                deliveryTimeoutSeconds: 60, executionTimeoutSeconds: 120) with { CommandId = commandId };
            await new BusPublisher(rig.Publisher).SendAsync(command);
            var file = Path.Combine(runs, commandId.ToString());
            await Eventually.TrueAsync(() => File.Exists(file), "the recipe to start on the agent", 60);

            string fault;
            if (restartAgent)
            {
                await agent.DisposeAsync();
                fault = $"agent stopped mid-command (its recipe had written {File.ReadAllLines(file).Length} line(s)), started again on the same data directory";
                agent = rig.Agent(vm, policy, relay.Port);
            }
            else
            {
                fault = $"{relay.Drop()} TCP connection(s) reset mid-command";
            }
            output.WriteLine(fault);

            await Eventually.TrueAsync(() => tap.For(commandId).Count > 0, "an outcome for the command", 120);
            await Task.Delay(TimeSpan.FromSeconds(restartAgent ? 3 : 6)); // a second outcome, or the recipe's end, would come now
            var outcomes = tap.For(commandId);
            var lines = File.ReadAllLines(file);
            var queue = await BrokerProbe.QueueAsync(broker.Node.CtlAsync, Topology.RouterQueue(rig.RouterId));
            var answeredFromJournal = agent.Log.Lines.Count(l => l.Contains("already processed", StringComparison.Ordinal) || l.Contains("not run a second time", StringComparison.Ordinal));
            output.WriteLine($"{outcomes.Count} outcome(s): {string.Join(", ", outcomes.Select(o => $"{o.Outcome} (attempt {o.Attempt}) {o.Message}"))}; "
                + $"recipe runs started: {lines.Count(l => l == "run")}, finished: {lines.Count(l => l == "done")}; "
                + $"connections through the relay: {relay.Accepted}; answered from the journal: {answeredFromJournal}; "
                + $"bridge relays: {rig.Bridge.Count("delivered to VM")}; router queue {queue.Ready} ready / {queue.Unacked} unacked");

            Assert.Single(outcomes);
            Assert.Equal(1, lines.Count(l => l == "run"));
            Assert.Equal((0, 0), (queue.Ready, queue.Unacked));
            Assert.True(relay.Accepted >= 2, "the agent did not reconnect");
            Assert.False(rig.Bridge.HasExited);
            if (!restartAgent)
            {
                // the connection dropped, not the agent: the recipe ran to its end and its result is the one reported
                Assert.Equal(1, lines.Count(l => l == "done"));
                Assert.Equal(CommandOutcome.Success, outcomes[0].Outcome);
            }
        }
        finally
        {
            await agent.DisposeAsync();
        }
    }
}
