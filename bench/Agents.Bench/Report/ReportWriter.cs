using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;

namespace Agents.Bench.Report;

/// <summary>bench/results/latest.md (for people) and latest.json (for scripts), with the machine they were measured on.</summary>
public static class ReportWriter
{
    public static async Task WriteAsync(Results results, string directory, string rabbitMqVersion)
    {
        Directory.CreateDirectory(directory);
        var machine = new
        {
            cores = Environment.ProcessorCount,
            memoryGiB = Math.Round(GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / 1024.0 / 1024 / 1024, 1),
            dotnet = RuntimeInformation.FrameworkDescription,
            os = RuntimeInformation.OSDescription,
            rabbitMq = rabbitMqVersion,
            // other work on the machine skews every figure: the load when the report was written
            loadAverage = File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : null,
            measuredAt = DateTimeOffset.UtcNow,
        };
        var json = new
        {
            machine,
            notes = results.Notes,
            figures = results.Figures.Select(f => new
            {
                section = f.Section, name = f.Name, value = Math.Round(f.Value, 3), unit = f.Unit,
                baseline = f.Baseline is { } b ? Math.Round(b, 3) : (double?)null, baselineName = f.BaselineName,
                ratio = f.Ratio is { } r ? Math.Round(r, 3) : (double?)null, goal = f.Goal,
            }),
        };
        await File.WriteAllTextAsync(Path.Combine(directory, "latest.json"), JsonSerializer.Serialize(json, new JsonSerializerOptions { WriteIndented = true }));

        var md = new StringBuilder();
        md.AppendLine("# Benchmark results").AppendLine();
        md.AppendLine(CultureInfo.InvariantCulture, $"Measured {machine.measuredAt:yyyy-MM-dd HH:mm} UTC on {machine.cores} cores, {machine.memoryGiB} GiB, {machine.dotnet}, RabbitMQ {machine.rabbitMq}, load average {machine.loadAverage} (1, 5, 15 min) at the end.");
        md.AppendLine("Every ratio divides two numbers measured in this same run. How to read them: docs/benchmarks.md.").AppendLine();
        md.AppendLine("| section | figure | value | baseline | ratio | goal |").AppendLine("|---|---|---|---|---|---|");
        foreach (var f in results.Figures)
        {
            md.AppendLine(CultureInfo.InvariantCulture,
                $"| {f.Section} | {f.Name} | {f.Value:0.##} {f.Unit} | {(f.Baseline is { } b ? $"{b:0.##} ({f.BaselineName})" : "")} | {(f.Ratio is { } r ? r.ToString("0.00", CultureInfo.InvariantCulture) : "")} | {f.Goal} |");
        }
        if (results.Notes.Count > 0)
        {
            md.AppendLine().AppendLine("Notes:").AppendLine();
            foreach (var note in results.Notes) md.AppendLine(CultureInfo.InvariantCulture, $"* {note}");
        }
        await File.WriteAllTextAsync(Path.Combine(directory, "latest.md"), md.ToString());
    }
}
