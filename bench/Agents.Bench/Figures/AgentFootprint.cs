using System.Diagnostics;
using Agents.Bench.Pipeline;
using Agents.Bench.Report;
using Agents.Testing;

namespace Agents.Bench.Figures;

/// <summary>
/// The real agent binary as it ships on Linux (NativeAOT, linux-x64): its size on disk, how long it takes
/// from its start to a connected mutual-TLS session (already enrolled: the common case of a VM boot), and
/// its resident memory and CPU while connected to a bridge and idle; each next to the same agent published
/// as it was before NativeAOT (a trimmed self-contained single file that JIT-compiles), measured the same way.
/// </summary>
public sealed class AgentFootprint(RabbitMqNode node, TestPki pki, string directory)
{
    private const string VmId = "vm-footprint";
    private const int Starts = 5;
    /// <summary>The agent's own line once its mutual-TLS session is up.</summary>
    private const string Connected = "connected to router";

    public async Task RunAsync(Results results, TimeSpan idleWindow)
    {
        var binary = await PublishAsync(NativeAot);
        // the baseline: the same agent as it shipped before NativeAOT, a trimmed self-contained single file (JIT), measured the same way
        var singleFile = await PublishAsync(SingleFile);
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
        var native = await MeasureAsync(binary, arguments, idleWindow);
        var jit = await MeasureAsync(singleFile, arguments, idleWindow);

        const string Section = "agent footprint";
        const string Before = "the same agent as a trimmed single file, JIT";
        results.Add(new Figure(Section, "binary (NativeAOT, linux-x64)", native.Bytes / 1024.0 / 1024, "MiB", jit.Bytes / 1024.0 / 1024, Before, "<= 8 MB"));
        results.Add(new Figure(Section, $"start to connected (enrolled, loopback, median of {Starts})", native.StartMs, "ms", native.VersionMs, "--version, start to exit", "< 100 ms"));
        results.Add(new Figure(Section, $"start to connected, {Before} (median of {Starts})", jit.StartMs, "ms", jit.VersionMs, "its --version, start to exit"));
        results.Add(new Figure(Section, $"resident memory, connected and idle (peak over {idleWindow.TotalSeconds:0} s)", native.PeakBytes / 1024.0 / 1024, "MiB",
            jit.PeakBytes / 1024.0 / 1024, Before, "<= 15 MB"));
        // the rest is file-backed: the binary's own pages, libssl/libcrypto, libc (shared with other processes or reclaimable)
        results.Add(new Figure(Section, "of which anonymous (GC heap, native heap, stacks; peak)", native.AnonymousBytes / 1024.0 / 1024, "MiB",
            jit.AnonymousBytes / 1024.0 / 1024, Before));
        results.Add(new Figure(Section, $"CPU while idle ({idleWindow.TotalSeconds:0} s, heartbeat every 30 s)", native.IdleCpuPercent, "% of a core",
            jit.IdleCpuPercent, Before, "not measurable"));
    }

    private sealed record Footprint(long Bytes, double StartMs, double VersionMs, long PeakBytes, long AnonymousBytes, double IdleCpuPercent);

    /// <summary>Start to connected (the agent's own line, several starts, the median), its floor (--version), then resident memory and CPU connected and idle.</summary>
    private async Task<Footprint> MeasureAsync(string binary, string[] arguments, TimeSpan idleWindow)
    {
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
        await agent.KillAsync();
        return new Footprint(new FileInfo(binary).Length, Median(startTimes), Median(versionTimes), peak, anonymous, cpu);
    }

    private const string NativeAot = "native";
    private const string SingleFile = "single-file";

    /// <summary>
    /// dotnet publish of VmAgent/Agents.VmAgent for linux-x64 into .run/bench-agent-&lt;kind&gt; (incremental after the first time):
    /// NativeAOT as it ships, or a trimmed self-contained single file as the Windows targets still are.
    /// </summary>
    private static async Task<string> PublishAsync(string kind)
    {
        var project = Path.Combine(RepositoryPaths.Root, "VmAgent", "Agents.VmAgent", "Agents.VmAgent.csproj");
        var output = Path.Combine(RepositoryPaths.Root, ".run", "bench-agent-" + kind);
        List<string> arguments = ["publish", project, "-c", "Release", "-r", "linux-x64", "-o", output, "-nologo", "-v", "q"];
        if (kind == SingleFile)
            arguments.AddRange(["-p:PublishAot=false", "-p:PublishSingleFile=true", "-p:PublishTrimmed=true", "-p:TrimMode=full",
                "-p:IncludeNativeLibrariesForSelfExtract=true", "-p:IntermediateOutputPath=obj/bench-single-file/"]);
        var result = await ProcessRunner.RunAsync("dotnet", arguments, new Dictionary<string, string>(), TimeSpan.FromMinutes(8));
        if (result.ExitCode != 0) throw new InvalidOperationException($"dotnet publish ({kind}) of the agent failed:\n{result.Output}");
        return Path.Combine(output, "agents-vm-agent");
    }

    private static double Median(List<double> values) => values.Order().ElementAt(values.Count / 2);
}
