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
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            // the fields after the command name, which is in parentheses and may hold spaces
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) / TicksPerSecond;
        }
        catch (IOException) { return 0; }
        catch (UnauthorizedAccessException) { return 0; }
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
