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
    private readonly Func<CpuUse> _read;
    private readonly CpuUse _before;
    private readonly double _machineBefore;
    private readonly long _started = System.Diagnostics.Stopwatch.GetTimestamp();

    private CpuAccount(Func<CpuUse> read)
    {
        _read = read;
        _before = read();
        _machineBefore = MachineSeconds();
    }

    /// <summary>Every process of the demo's stack, the broker and this bench.</summary>
    public static CpuAccount Take(DemoStack stack) => new(() => Read(stack));

    /// <summary>The named processes (each a source of its CPU seconds so far).</summary>
    public static CpuAccount Take(params (string Name, Func<double> Seconds)[] processes) =>
        new(() => new CpuUse(processes.ToDictionary(p => p.Name, p => p.Seconds(), StringComparer.Ordinal)));

    /// <summary>Two figures: CPU-ms per unit of work since <see cref="Take(DemoStack)"/> for the whole machine (with the cores it kept busy) and by process.</summary>
    public void Report(Results results, string section, string what, int units)
    {
        var (perUnit, cores) = Machine(units);
        var used = _read() - _before;
        results.Add(new Figure(section, $"{what}: CPU per unit, whole machine ({cores:0.00} of {Environment.ProcessorCount} cores busy)", perUnit, "CPU-ms"));
        results.Add(new Figure(section, $"{what}: CPU per unit by process: {used.PerUnit(units)}", used.Total * 1000 / units, "CPU-ms"));
    }

    /// <summary>The whole machine's CPU-ms per unit of work since this account was taken, and the cores it kept busy.</summary>
    public (double PerUnitMs, double CoresBusy) Machine(int units)
    {
        var wall = System.Diagnostics.Stopwatch.GetElapsedTime(_started).TotalSeconds;
        var machine = MachineSeconds() - _machineBefore;
        return (machine * 1000 / units, machine / wall);
    }

    private static CpuUse Read(DemoStack stack)
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
        return new CpuUse(seconds);
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
