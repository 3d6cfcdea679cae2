using System.Globalization;

namespace Agents.VmAgent.Core.Health;

/// <summary>The machine's memory and disk as the basic health checks measure them (Linux /proc; the drive of a path anywhere).</summary>
public static class ResourceUsage
{
    /// <summary>Memory in use, percent (MemTotal - MemAvailable); null where /proc/meminfo does not exist.</summary>
    public static double? MemoryUsedPercent()
    {
        if (!File.Exists("/proc/meminfo")) return null;
        var info = File.ReadAllLines("/proc/meminfo").Select(l => l.Split(':')).Where(p => p.Length == 2)
            .ToDictionary(p => p[0], p => long.Parse(p[1].Trim().Split(' ')[0], CultureInfo.InvariantCulture));
        return 100.0 * (info["MemTotal"] - info["MemAvailable"]) / info["MemTotal"];
    }

    /// <summary>Free megabytes on the drive that holds <paramref name="path"/>, and the drive's name.</summary>
    public static (long FreeMb, string Drive) FreeMegabytes(string path)
    {
        var drive = new DriveInfo(Path.GetFullPath(path));
        return (drive.AvailableFreeSpace / (1024 * 1024), drive.Name);
    }
}
