using System.Diagnostics;
using Agents.Bench.Pipeline;
using Agents.Bench.Report;
using Agents.Testing;

namespace Agents.Bench.Figures;

/// <summary>
/// The real agent binary as it ships on Linux (NativeAOT, linux-x64): its size on disk, how long it takes
/// from its start to a connected mutual-TLS session (already enrolled: the common case of a VM boot), and
/// its resident memory and CPU while connected to a bridge and idle.
/// </summary>
public sealed class AgentFootprint(RabbitMqNode node, TestPki pki, string directory)
{
    private const string VmId = "vm-footprint";
    private const int Starts = 5;
    /// <summary>The agent's own line once its mutual-TLS session is up.</summary>
    private const string Connected = "connected to router";

    public async Task RunAsync(Results results, TimeSpan idleWindow)
    {
        var binary = await PublishAsync();
        var size = new FileInfo(binary).Length;
        results.Add(new Figure("agent footprint", "binary (NativeAOT, linux-x64)", size / 1024.0 / 1024, "MiB", Goal: "<= 8 MB"));

        await using var bridge = await BenchBridge.StartAsync(node, pki, Path.Combine(directory, "bridge-footprint"));
        var data = Path.Combine(directory, "footprint-agent", "data");
        pki.EnrollAgent(data, VmId);
        string[] arguments =
        [
            "--router", "127.0.0.1", "--port", bridge.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--data-dir", data, "--ca-file", Path.Combine(data, "ca.crt"),
            "--sandbox-root", Directory.CreateDirectory(Path.Combine(directory, "footprint-agent", "sandbox")).FullName,
            "--log-level", "Information",
        ];

        // start to connected: the agent's own "connected" line, several starts, the median reported
        var startTimes = new List<double>();
        for (var i = 0; i < Starts; i++)
        {
            var watch = Stopwatch.StartNew();
            await using var started = ServiceProcess.Start("agent", binary, arguments);
            await started.LineAsync(Connected).WaitAsync(TimeSpan.FromSeconds(60));
            startTimes.Add(watch.Elapsed.TotalMilliseconds);
            await started.KillAsync();
        }
        // the floor of that: the same binary started and gone with nothing to do (process, runtime, no TLS)
        var versionTimes = new List<double>();
        for (var i = 0; i < Starts; i++)
        {
            var watch = Stopwatch.StartNew();
            var version = await ProcessRunner.RunAsync(binary, ["--version"], new Dictionary<string, string>(), TimeSpan.FromSeconds(30));
            if (version.ExitCode != 0) throw new InvalidOperationException($"{binary} --version failed:\n{version.Output}");
            versionTimes.Add(watch.Elapsed.TotalMilliseconds);
        }
        results.Add(new Figure("agent footprint", $"start to connected (enrolled, loopback, median of {Starts})", Median(startTimes), "ms",
            Median(versionTimes), "--version, start to exit", Goal: "< 100 ms"));

        await using var agent = ServiceProcess.Start("agent", binary, arguments);
        await agent.LineAsync(Connected).WaitAsync(TimeSpan.FromSeconds(60));
        // settled: the agent's first exchange is over and its idle trim (1-2 s after the last activity, IdleMemoryTrimmer) has run
        await Task.Delay(TimeSpan.FromSeconds(5));
        var cpuBefore = agent.CpuTime();
        var (peak, anonymous) = (0L, 0L);
        var idle = Stopwatch.StartNew();
        while (idle.Elapsed < idleWindow)
        {
            peak = Math.Max(peak, agent.ResidentBytes());
            anonymous = Math.Max(anonymous, ProcStatus.Bytes(agent.Pid, "RssAnon"));
            await Task.Delay(1000);
        }
        var cpu = (agent.CpuTime() - cpuBefore).TotalSeconds / idle.Elapsed.TotalSeconds * 100;
        results.Add(new Figure("agent footprint", $"resident memory, connected and idle (peak over {idleWindow.TotalSeconds:0} s)", peak / 1024.0 / 1024, "MiB", Goal: "<= 15 MB"));
        // the rest is file-backed: the binary's own pages, libssl/libcrypto, libc (shared with other processes or reclaimable)
        results.Add(new Figure("agent footprint", "of which anonymous (GC heap, native heap, stacks; peak)", anonymous / 1024.0 / 1024, "MiB"));
        results.Add(new Figure("agent footprint", $"CPU while idle ({idleWindow.TotalSeconds:0} s, heartbeat every 30 s)", cpu, "% of a core", Goal: "not measurable"));
        await agent.KillAsync();
    }

    /// <summary>dotnet publish (NativeAOT) of VmAgent/Agents.VmAgent for linux-x64 into .run/bench-agent (incremental after the first time).</summary>
    private static async Task<string> PublishAsync()
    {
        var project = Path.Combine(RepositoryPaths.Root, "VmAgent", "Agents.VmAgent", "Agents.VmAgent.csproj");
        var output = Path.Combine(RepositoryPaths.Root, ".run", "bench-agent");
        var result = await ProcessRunner.RunAsync("dotnet", ["publish", project, "-c", "Release", "-r", "linux-x64", "-o", output, "-nologo", "-v", "q"],
            new Dictionary<string, string>(), TimeSpan.FromMinutes(8));
        if (result.ExitCode != 0) throw new InvalidOperationException($"dotnet publish of the agent failed:\n{result.Output}");
        return Path.Combine(output, "agents-vm-agent");
    }

    private static double Median(List<double> values) => values.Order().ElementAt(values.Count / 2);
}
