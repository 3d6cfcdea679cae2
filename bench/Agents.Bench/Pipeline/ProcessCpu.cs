using System.Globalization;

namespace Agents.Bench.Pipeline;

/// <summary>
/// User + system CPU seconds of processes, read from /proc/&lt;pid&gt;/stat (utime, stime in clock
/// ticks of 1/100 s): for the processes a figure started itself (by pid) and for servers it only
/// knows by a piece of their command line (mariadbd's port, the broker's node name).
/// </summary>
public static class ProcessCpu
{
    private const double TicksPerSecond = 100;

    public static double Seconds(int pid)
    {
        try { return StatSeconds($"/proc/{pid}/stat"); }
        catch (IOException) { return 0; }
        catch (UnauthorizedAccessException) { return 0; }
    }

    private static double StatSeconds(string statPath)
    {
        var stat = File.ReadAllText(statPath);
        // the fields after the command name, which is in parentheses and may hold spaces
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) / TicksPerSecond;
    }

    /// <summary>The CPU seconds of the threads of <paramref name="pid"/> named <paramref name="threadName"/> (e.g. the
    /// runtime's tiered-compilation worker, <c>.NET Tiered Com</c>: its time is the JIT recompiling hot methods).</summary>
    public static double ThreadSeconds(int pid, string threadName)
    {
        var total = 0.0;
        try
        {
            foreach (var task in Directory.GetDirectories($"/proc/{pid}/task"))
                if (File.ReadAllText(Path.Combine(task, "comm")).TrimEnd('\n') == threadName) total += StatSeconds(Path.Combine(task, "stat"));
        }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
        return total;
    }

    /// <summary>The CPU seconds of every process whose command line holds <paramref name="text"/>.</summary>
    public static double SecondsOfMatching(string text)
    {
        var total = 0.0;
        foreach (var dir in Directory.GetDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid)) continue;
            string cmdline;
            try { cmdline = File.ReadAllText(Path.Combine(dir, "cmdline")).Replace('\0', ' '); }
            catch (IOException) { continue; }
            catch (UnauthorizedAccessException) { continue; }
            if (cmdline.Contains(text, StringComparison.Ordinal)) total += Seconds(pid);
        }
        return total;
    }
}
