using System.Globalization;

namespace Agents.Bench.Pipeline;

/// <summary>CPU seconds of named groups of processes (from <see cref="ProcessCpu"/>): read before and after a stretch, subtracted, shown per unit of work.</summary>
public sealed record CpuUse(IReadOnlyDictionary<string, double> Seconds)
{
    public double Total => Seconds.Values.Sum();

    public static CpuUse operator -(CpuUse after, CpuUse before)
    {
        ArgumentNullException.ThrowIfNull(after);
        ArgumentNullException.ThrowIfNull(before);
        return new(after.Seconds.ToDictionary(p => p.Key, p => p.Value - before.Seconds.GetValueOrDefault(p.Key)));
    }

    /// <summary>"name 1.2, other 0.4": CPU-ms per unit, largest first, groups under 0.05 CPU-ms left out.</summary>
    public string PerUnit(int units) => string.Join(", ", Seconds
        .Select(p => (p.Key, Ms: p.Value / units * 1000))
        .Where(p => p.Ms >= 0.05)
        .OrderByDescending(p => p.Ms)
        .Select(p => string.Create(CultureInfo.InvariantCulture, $"{p.Key} {p.Ms:0.0}")));
}
