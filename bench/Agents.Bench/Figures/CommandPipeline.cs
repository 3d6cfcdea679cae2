using Agents.Bench.Pipeline;
using Agents.Bench.Report;
using Agents.Contracts.Commands;
using Agents.Testing;

namespace Agents.Bench.Figures;

/// <summary>
/// agents.commands → the real bridge process (quorum router queue, confirmed outcome before ack)
/// → mutual TLS → a VmAgent.Core agent running the no-op recipe in its sandbox → outcome on
/// cloudstack-events. Measured with 1, 100 and 1,000 agents on one bridge.
/// </summary>
public sealed class CommandPipeline(RabbitMqNode node, TestPki pki, string directory, BrokerBaseline.Result baseline)
{
    public const int InFlight = 64;

    /// <summary>Recipes per second at saturation, per agent count (the executor section judges them against the executor alone).</summary>
    public List<(int Agents, double PerSecond)> Recipes { get; } = [];

    public async Task RunAsync(Results results, int[] agentCounts, int commands, int samples)
    {
        await using var bridge = await BenchBridge.StartAsync(node, pki, Path.Combine(directory, "bridge-pipeline"));
        await using var fleet = new AgentFleet(pki, Path.Combine(directory, "fleet"), bridge.Port);
        await using var driver = new CommandDriver(node.AmqpUri());
        await driver.StartAsync(node.AmqpUri());
        // what a command costs each process on the cores they share (the agents run in this bench's process)
        CpuAccount Cpu() => CpuAccount.Take(("bridge", () => bridge.CpuTime().TotalSeconds),
            ("rabbitmq", () => ProcessCpu.SecondsOfMatching(node.DataDirectory)),
            ("bench (agents, driver)", () => ProcessCpu.Seconds(Environment.ProcessId)));
        foreach (var agents in agentCounts)
        {
            await fleet.GrowToAsync(agents, TimeSpan.FromMinutes(2));
            var section = $"command pipeline, {agents} agent{(agents == 1 ? "" : "s")}";
            // warm-up: channels and every agent's first session, then the JIT (a running bridge is warm)
            await driver.ThroughputAsync(agents, Math.Min(agents, 200), InFlight);
            await WarmUpAsync(results, section, driver, agents, bridge.Pid);
            var latencies = await driver.LatenciesAsync(agents, samples);
            var cpu = Cpu();
            var perSecond = await driver.ThroughputAsync(agents, commands, InFlight);
            cpu.Report(results, section, "recipes at saturation", commands);
            var (p50, p95, p99) = CommandDriver.Percentiles(latencies);
            // issue 20 judges the recipe path against the recipe executor alone (the executor section), not the broker
            results.Add(new Figure(section, $"commands at saturation ({InFlight} in flight)", perSecond, "cmd/s", baseline.PerSecond, "broker two hops"));
            Recipes.Add((agents, perSecond));
            results.Add(new Figure(section, "latency p50 (light load)", p50, "ms", baseline.P50, "broker p50"));
            results.Add(new Figure(section, "latency p95 (light load)", p95, "ms", baseline.P95, "broker p95"));
            results.Add(new Figure(section, "latency p99 (light load)", p99, "ms", baseline.P99, "broker p99"));
            // the same path with a handler that starts no process: what the bridge and TLS allow
            driver.CommandType = CommandTypes.ResetVmSshKey;
            cpu = Cpu();
            var sshKeys = await driver.ThroughputAsync(agents, commands, InFlight);
            cpu.Report(results, section, "SSH key resets at saturation", commands);
            var (c50, c95, c99) = CommandDriver.Percentiles(await driver.LatenciesAsync(agents, samples));
            driver.CommandType = CommandTypes.RunRecipe;
            results.Add(new Figure(section, $"SSH key resets at saturation, no process ({InFlight} in flight)", sshKeys, "cmd/s", baseline.PerSecond, "broker two hops", "ratio >= 0.5"));
            // issue 20, point 6: a cheap command's light-load latency against the broker's own, same run
            results.Add(new Figure(section, "SSH key reset latency p50 (light load, no process)", c50, "ms", baseline.P50, "broker p50"));
            results.Add(new Figure(section, "SSH key reset latency p95 (light load, no process)", c95, "ms", baseline.P95, "broker p95"));
            results.Add(new Figure(section, "SSH key reset latency p99 (light load, no process)", c99, "ms", baseline.P99, "broker p99", "ratio <= 2"));
        }
        if (agentCounts.Contains(1))
        {
            // the one-agent series again, last: its first measurement ran in the youngest processes (tiered JIT still at work)
            driver.CommandType = CommandTypes.ResetVmSshKey;
            var (_, _, again99) = CommandDriver.Percentiles(await driver.LatenciesAsync(1, samples));
            driver.CommandType = CommandTypes.RunRecipe;
            results.Add(new Figure("command pipeline, 1 agent", $"SSH key reset latency p99 (light load, no process), measured again after the {agentCounts.Max()}-agent series",
                again99, "ms", baseline.P99, "broker p99", "ratio <= 2"));
        }
        if (driver.Failures > 0)
        {
            results.Add(new Figure("command pipeline", "outcomes other than Success", driver.Failures, "commands"));
            results.Note($"command pipeline: {driver.Failures} outcomes other than Success, the first: {driver.FirstFailure}");
        }
    }

    /// <summary>
    /// Passes of the measured work (<see cref="RecipePass"/> recipes, then <see cref="SshKeyPass"/> SSH key resets) until
    /// the JIT of the bridge and of this process (the agents) is quiet (<see cref="JitWarmUp"/>): a young bridge spent 40 % of its CPU in the JIT through the
    /// first agent count's rounds (perf, 2026-12-06), which the figures would otherwise charge to one agent count only.
    /// </summary>
    private static async Task WarmUpAsync(Results results, string section, CommandDriver driver, int agents, int bridgePid)
    {
        var (passes, share, took) = await JitWarmUp.RunAsync(() => [bridgePid, Environment.ProcessId], async () =>
        {
            await driver.ThroughputAsync(agents, RecipePass, InFlight);
            driver.CommandType = CommandTypes.ResetVmSshKey;
            await driver.ThroughputAsync(agents, SshKeyPass, InFlight);
            driver.CommandType = CommandTypes.RunRecipe;
        });
        results.Add(new Figure(section, $"warm-up: passes of {RecipePass} recipes and {SshKeyPass} SSH key resets until the JIT threads of the bridge and the bench (the agents) used under 2 % of a pass ({passes} passes, the last {share * 100:0.0} %)",
            took.TotalSeconds, "s"));
    }

    private const int RecipePass = 100;
    private const int SshKeyPass = 500;
}
