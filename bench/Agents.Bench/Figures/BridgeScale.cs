using System.Diagnostics;
using Agents.Bench.Pipeline;
using Agents.Bench.Report;
using Agents.Testing;

namespace Agents.Bench.Figures;

/// <summary>
/// One fresh bridge process with many idle agents: how fast they connect, what each idle session
/// costs the bridge in resident memory, the bridge's idle CPU, the time for one recipe fanned
/// out to every agent (one message per target, the baseline row) to report back, and the same for
/// a cheap command sent as the API sends a fan-out now (batches of targets, expanded by the bridge).
/// </summary>
public sealed class BridgeScale(RabbitMqNode node, TestPki pki, string directory, BrokerBaseline.Result baseline)
{
    public async Task RunAsync(Results results, int[] agentCounts, TimeSpan idleWindow)
    {
        // the agents' data (journals, sandboxes) on tmpfs when the host has one: in a cloud each agent fsyncs its
        // own VM's disk; here 10,000 agents' fsyncs would share one device and the fan-out would measure that device
        var fleetData = AgentData(directory);
        try
        {
            await MeasureAsync(results, agentCounts, idleWindow, fleetData);
        }
        finally
        {
            if (fleetData.StartsWith(SharedMemory, StringComparison.Ordinal)) Directory.Delete(fleetData, recursive: true);
        }
    }

    private async Task MeasureAsync(Results results, int[] agentCounts, TimeSpan idleWindow, string fleetData)
    {
        // the baseline first, alone on the machine's sockets: a bare SslStream server with as many idle mutual-TLS connections
        var bare = await new BareTlsBaseline(pki, directory).RunAsync(agentCounts.Max(), idleWindow);
        var bareSection = $"bare SslStream server, {bare.Connections} connections (baseline)";
        results.Add(new Figure(bareSection, "time to connect them (in waves of 250)", bare.ConnectSeconds, "s"));
        results.Add(new Figure(bareSection, "resident memory", bare.ResidentMiB, "MiB"));
        results.Add(new Figure(bareSection, "memory per idle connection", bare.KiBPerConnection, "KiB"));
        results.Add(new Figure(bareSection, $"CPU while idle ({idleWindow.TotalSeconds:0} s)", bare.IdleCpuPercent, "% of a core"));

        await using var bridge = await BenchBridge.StartAsync(node, pki, Path.Combine(directory, "bridge-scale"));
        await using var fleet = new AgentFleet(pki, fleetData, bridge.Port);
        if (fleetData.StartsWith(SharedMemory, StringComparison.Ordinal))
            results.Note("scale: the simulated agents' journals and sandboxes are on tmpfs (each VM has its own disk; one host's would bound the fan-out at its fsync rate)");
        await using var driver = new CommandDriver(node.AmqpUri());
        await driver.StartAsync(node.AmqpUri());

        // one agent and one command first: code loaded, channels open, so the deltas below are per session
        await fleet.GrowToAsync(1, TimeSpan.FromMinutes(1));
        await driver.RunOneAsync(AgentFleet.VmId(0));
        var rssOne = await SettledResidentAsync(bridge);
        Console.WriteLine($"  bridge with 1 agent: {rssOne / 1024.0 / 1024:0.0} MiB resident");

        foreach (var agents in agentCounts)
        {
            var watch = Stopwatch.StartNew();
            await fleet.GrowToAsync(agents, TimeSpan.FromMinutes(5));
            var connectSeconds = watch.Elapsed.TotalSeconds;
            var rss = await SettledResidentAsync(bridge);
            var section = $"one bridge, {agents} agents";
            results.Add(new Figure(section, "agents connected (mutual TLS, idle)", fleet.Connected, "agents", Goal: "10000 agents"));
            results.Add(new Figure(section, "time to connect them (in waves of 250)", connectSeconds, "s",
                agents == bare.Connections ? bare.ConnectSeconds : null, agents == bare.Connections ? "bare SslStream" : null));
            results.Add(new Figure(section, "bridge resident memory", rss / 1024.0 / 1024, "MiB"));
            results.Add(new Figure(section, "bridge memory per idle connection", (rss - rssOne) / 1024.0 / (agents - 1), "KiB",
                agents == bare.Connections ? bare.KiBPerConnection : null, agents == bare.Connections ? "bare SslStream" : null, Goal: "<= 32 KiB"));
        }

        var all = fleet.Count;
        var cpuBefore = bridge.CpuTime();
        await Task.Delay(idleWindow);
        var idleCpu = (bridge.CpuTime() - cpuBefore).TotalSeconds / idleWindow.TotalSeconds * 100;
        results.Add(new Figure($"one bridge, {all} agents", $"bridge CPU while idle ({idleWindow.TotalSeconds:0} s)", idleCpu, "% of a core",
            all == bare.Connections ? bare.IdleCpuPercent : null, all == bare.Connections ? "bare SslStream" : null));

        var fanOut = await driver.FanOutAsync(all);
        results.Add(new Figure($"one bridge, {all} agents", "one recipe fanned out to all, until the last outcome", fanOut, "s"));
        results.Add(new Figure($"one bridge, {all} agents", "fan-out rate", all / fanOut, "cmd/s", baseline.PerSecond, "broker two hops"));

        // a cheap command (a file in the agent's sandbox, no process) as the API's job engine sends a
        // fan-out: one AgentCommandBatch per agents.command.batch.size targets, expanded by the bridge
        driver.CommandType = Agents.Contracts.Commands.CommandTypes.ResetVmSshKey;
        // the batch's expansion runs only here: warmed until the bridge's JIT and this process's (the simulated agents) are quiet
        var warmTargets = Math.Min(all, 2000);
        var (passes, share, took) = await JitWarmUp.RunAsync(() => [bridge.Pid, Environment.ProcessId], () => driver.BatchFanOutAsync(warmTargets, BatchSize));
        results.Add(new Figure($"one bridge, {all} agents", $"batched fan-out warm-up: passes of {warmTargets} targets until the JIT threads of the bridge and the bench used under 2 % of a pass ({passes} passes, the last {share * 100:0.0} %)",
            took.TotalSeconds, "s"));
        Console.WriteLine($"  batched fan-out to {all} agents (bridge pid {bridge.Pid})");
        var (bridgeBefore, brokerBefore, benchBefore) = (bridge.CpuTime().TotalSeconds, ProcessCpu.SecondsOfMatching(node.DataDirectory), ProcessCpu.Seconds(Environment.ProcessId));
        var batched = await driver.BatchFanOutAsync(all, BatchSize);
        var bridgeCpu = (bridge.CpuTime().TotalSeconds - bridgeBefore) / all * 1000;
        results.Add(new Figure($"one bridge, {all} agents", $"a cheap command (ResetVmSshKey, no process) to all, in batches of {BatchSize}, until the last outcome", batched, "s"));
        results.Add(new Figure($"one bridge, {all} agents", "batched fan-out rate (cheap command)", all / batched, "targets/s", baseline.PerSecond, "broker two hops",
            Goal: ">= 5000 targets/s"));
        // what bounds it on this machine: every process shares its cores, the simulated agents too
        results.Add(new Figure($"one bridge, {all} agents", "batched fan-out: bridge CPU per target", bridgeCpu, "CPU-ms"));
        results.Add(new Figure($"one bridge, {all} agents", "batched fan-out: broker CPU per target", (ProcessCpu.SecondsOfMatching(node.DataDirectory) - brokerBefore) / all * 1000, "CPU-ms"));
        results.Add(new Figure($"one bridge, {all} agents", "batched fan-out: bench CPU per target (the simulated agents and the driver)", (ProcessCpu.Seconds(Environment.ProcessId) - benchBefore) / all * 1000, "CPU-ms"));
        results.Add(new Figure($"one bridge, {all} agents", "batched fan-out: targets one core of bridge carries (1000 / its CPU-ms per target)", 1000 / Math.Max(0.001, bridgeCpu), "targets/s",
            Goal: ">= 5000 targets/s"));
        if (driver.Failures > 0)
        {
            results.Add(new Figure($"one bridge, {all} agents", "fan-out outcomes other than Success", driver.Failures, "commands"));
            results.Note($"fan-out: {driver.Failures} outcomes other than Success, the first: {driver.FirstFailure}");
        }
    }

    private const string SharedMemory = "/dev/shm";

    /// <summary>The fleet's data directory: under /dev/shm (tmpfs) when it exists, else beside the bench's other files.</summary>
    private static string AgentData(string directory) =>
        Directory.Exists(SharedMemory)
            ? Directory.CreateDirectory(Path.Combine(SharedMemory, $"agents-bench-fleet-{Guid.NewGuid():N}")).FullName
            : Path.Combine(directory, "fleet");

    /// <summary>The API's default agents.command.batch.size.</summary>
    private const int BatchSize = 500;

    /// <summary>Resident memory once the bridge has had a few seconds to finish handshakes and presence events.</summary>
    private static async Task<long> SettledResidentAsync(BridgeProcess bridge)
    {
        await Task.Delay(TimeSpan.FromSeconds(3));
        return bridge.ResidentBytes();
    }
}
