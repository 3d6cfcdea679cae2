using System.Globalization;
using Agents.Bench.Report;
using Agents.Demo.Stack;

namespace Agents.Bench.Pipeline;

/// <summary>
/// Where a measured stretch spent CPU: each process of the figure (for the demo's stack: the API, CA,
/// bridge, agents, consumers, SMTP sink, the broker and this bench), and the machine as a whole
/// (/proc/stat), so a rate can be read as the CPU one unit of work costs on cores every process shares.
/// </summary>
public sealed class CpuAccount
{
    private readonly Func<Dictionary<string, double>> _snapshot;
    private readonly Dictionary<string, double> _before;
    private readonly double _machineBefore;
    private readonly long _started = System.Diagnostics.Stopwatch.GetTimestamp();

    private CpuAccount(Func<Dictionary<string, double>> snapshot)
    {
        _snapshot = snapshot;
        _before = snapshot();
        _machineBefore = MachineSeconds();
    }

    /// <summary>Every process of the demo's stack, the broker and this bench.</summary>
    public static CpuAccount Take(DemoStack stack) => new(() => Snapshot(stack));

    /// <summary>The named processes (each a source of its CPU seconds so far).</summary>
    public static CpuAccount Take(params (string Name, Func<double> Seconds)[] processes) =>
        new(() => processes.ToDictionary(p => p.Name, p => p.Seconds(), StringComparer.Ordinal));

    /// <summary>One figure per process group: CPU-ms per unit of work since <see cref="Take"/>, and the cores the machine used meanwhile.</summary>
    public void Report(Results results, string section, string what, int units)
    {
        var wall = System.Diagnostics.Stopwatch.GetElapsedTime(_started).TotalSeconds;
        var after = _snapshot();
        var parts = after.Select(p => (p.Key, Ms: (p.Value - _before.GetValueOrDefault(p.Key)) * 1000 / units))
            .OrderByDescending(p => p.Ms).ToList();
        var total = (MachineSeconds() - _machineBefore) * 1000 / units;
        results.Add(new Figure(section, $"{what}: CPU per unit, whole machine ({(MachineSeconds() - _machineBefore) / wall:0.00} of {Environment.ProcessorCount} cores busy)", total, "CPU-ms"));
        results.Add(new Figure(section, $"{what}: CPU per unit by process: " +
            string.Join(", ", parts.Where(p => p.Ms >= 0.05).Select(p => string.Create(CultureInfo.InvariantCulture, $"{p.Key} {p.Ms:0.0}"))),
            parts.Sum(p => p.Ms), "CPU-ms"));
    }

    private static Dictionary<string, double> Snapshot(DemoStack stack)
    {
        var seconds = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var service in stack.Services)
        {
            // the agents as one group: three processes doing the same work
            var name = service.Name.StartsWith("agent-", StringComparison.Ordinal) ? "agents" : service.Name;
            seconds[name] = seconds.GetValueOrDefault(name) + ProcessCpu.Seconds(service.Pid);
        }
        seconds["rabbitmq"] = ProcessCpu.SecondsOfMatching(stack.Broker.DataDirectory);
        seconds["bench client"] = ProcessCpu.Seconds(Environment.ProcessId);
        return seconds;
    }

    /// <summary>All CPU time of the machine (user, nice, system, irq, softirq, steal) in seconds.</summary>
    private static double MachineSeconds()
    {
        var fields = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries);
        long busy = 0;
        foreach (var i in new[] { 1, 2, 3, 6, 7, 8 }) busy += long.Parse(fields[i], CultureInfo.InvariantCulture);
        return busy / 100.0;
    }
}
