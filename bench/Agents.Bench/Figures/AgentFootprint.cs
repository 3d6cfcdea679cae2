using System.Diagnostics;
using Agents.Bench.Pipeline;
using Agents.Bench.Report;
using Agents.Testing;

namespace Agents.Bench.Figures;

/// <summary>
/// The real agent binary as it ships (self-contained, single file, trimmed, linux-x64): its size on
/// disk, and its resident memory and CPU while connected to a bridge and idle.
/// </summary>
public sealed class AgentFootprint(RabbitMqNode node, TestPki pki, string directory)
{
    private const string VmId = "vm-footprint";

    public async Task RunAsync(Results results, TimeSpan idleWindow)
    {
        var binary = await PublishAsync();
        var size = new FileInfo(binary).Length;
        results.Add(new Figure("agent footprint", "single-file binary (self-contained, trimmed, linux-x64)", size / 1024.0 / 1024, "MiB", Goal: "< 20 MB"));

        await using var bridge = await BenchBridge.StartAsync(node, pki, Path.Combine(directory, "bridge-footprint"));
        var data = Path.Combine(directory, "footprint-agent", "data");
        pki.EnrollAgent(data, VmId);
        await using var agent = ServiceProcess.Start("agent", binary,
        [
            "--router", "127.0.0.1", "--port", bridge.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--data-dir", data, "--ca-file", Path.Combine(data, "ca.crt"),
            "--sandbox-root", Directory.CreateDirectory(Path.Combine(directory, "footprint-agent", "sandbox")).FullName,
            "--log-level", "Warning",
        ]);
        await Eventually.TrueAsync(() =>
        {
            if (agent.HasExited) throw new InvalidOperationException($"the agent exited with {agent.ExitCode}:\n{agent.Tail()}");
            return bridge.Count($"agent of VM {VmId} up") > 0;
        }, "the agent binary to connect", 60);
        await Task.Delay(TimeSpan.FromSeconds(3));
        var cpuBefore = agent.CpuTime();
        var peak = 0L;
        var watch = Stopwatch.StartNew();
        while (watch.Elapsed < idleWindow)
        {
            peak = Math.Max(peak, agent.ResidentBytes());
            await Task.Delay(1000);
        }
        var cpu = (agent.CpuTime() - cpuBefore).TotalSeconds / watch.Elapsed.TotalSeconds * 100;
        results.Add(new Figure("agent footprint", $"resident memory, connected and idle (peak over {idleWindow.TotalSeconds:0} s)", peak / 1024.0 / 1024, "MiB", Goal: "< 30 MB"));
        results.Add(new Figure("agent footprint", $"CPU while idle ({idleWindow.TotalSeconds:0} s, heartbeat every 30 s)", cpu, "% of a core", Goal: "not measurable"));
    }

    /// <summary>dotnet publish of VmAgent/Agents.VmAgent for linux-x64 into .run/bench-agent (incremental after the first time).</summary>
    private static async Task<string> PublishAsync()
    {
        var project = Path.Combine(RepositoryPaths.Root, "VmAgent", "Agents.VmAgent", "Agents.VmAgent.csproj");
        var output = Path.Combine(RepositoryPaths.Root, ".run", "bench-agent");
        var result = await ProcessRunner.RunAsync("dotnet", ["publish", project, "-c", "Release", "-r", "linux-x64", "-o", output, "-nologo", "-v", "q"],
            new Dictionary<string, string>(), TimeSpan.FromMinutes(8));
        if (result.ExitCode != 0) throw new InvalidOperationException($"dotnet publish of the agent failed:\n{result.Output}");
        return Path.Combine(output, "agents-vm-agent");
    }
}
