using System.Text.Json;
using System.Text.Json.Nodes;
using Agents.Producers.Client;
using Spectre.Console;

namespace Agents.Cli.Output;

/// <summary>
/// Shows any CloudStack response without knowing its command: lists of objects as tables, other
/// values as key/value grids, nested objects under their name; or, with --json, the JSON itself.
/// </summary>
public sealed class ResultPrinter(IAnsiConsole console, TextWriter output, bool json, IReadOnlyList<string>? columns)
{
    private const int MaxColumns = 10;
    private const int MaxCell = 60;
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public void Print(JsonObject response)
    {
        ArgumentNullException.ThrowIfNull(response);
        if (json)
        {
            output.WriteLine(response.ToJsonString(Indented));
            return;
        }
        Render(response, null);
    }

    /// <summary>A finished job: its result (fan-out jobs: a summary and one row per target).</summary>
    public void PrintJob(AsyncJob job)
    {
        ArgumentNullException.ThrowIfNull(job);
        if (json)
        {
            output.WriteLine(job.Response.ToJsonString(Indented));
            return;
        }
        if (job.Result is not { } result)
        {
            Render(job.Response, null);
            return;
        }
        var copy = (JsonObject)result.DeepClone();
        if (copy["agentjob"] is JsonObject agentJob)
        {
            copy.Remove("agentjob");
            if (job.Progress is { } progress) console.WriteLine($"job {job.JobId}: {progress}");
            if (agentJob["targets"] is JsonArray targets && targets.Count > 0)
                Table("targets", targets.OfType<JsonObject>().ToList(), columns ?? ["virtualmachineid", "routerid", "status", "attempt", "exitcode", "message", "stdout"]);
        }
        copy.Remove("errorcode");
        copy.Remove("errortext");
        if (copy.Count > 0) Render(copy, null);
    }

    private void Render(JsonObject value, string? title)
    {
        var scalars = value.Where(p => p.Value is not (JsonObject or JsonArray)).ToList();
        var lists = value.Where(p => p.Value is JsonArray a && a.Count > 0 && a.All(i => i is JsonObject)).ToList();
        var nested = value.Where(p => p.Value is JsonObject).ToList();
        var plainArrays = value.Where(p => p.Value is JsonArray a && !lists.Any(l => l.Key == p.Key) && a.Count > 0).ToList();

        foreach (var (name, array) in lists) Table(name, ((JsonArray)array!).OfType<JsonObject>().ToList(), columns);
        if (lists.Count > 0) scalars.RemoveAll(p => p.Key == "count");
        if (scalars.Count > 0 || plainArrays.Count > 0)
        {
            var grid = new Table().Border(TableBorder.Rounded).AddColumn("key").AddColumn("value");
            if (title is not null) grid.Title(Markup.Escape(title));
            foreach (var (key, v) in scalars.Concat(plainArrays)) grid.AddRow(new Text(key), new Text(Cell(v, int.MaxValue)));
            console.Write(grid);
        }
        foreach (var (name, child) in nested) Render((JsonObject)child!, title is null ? name : $"{title}.{name}");
        if (value.Count == 0 || (lists.Count == 0 && nested.Count == 0 && scalars.Count == 1 && scalars[0].Key == "count" && ResponseValues.Text(scalars[0].Value) == "0"))
            console.WriteLine(title is null ? "(none)" : $"{title}: (none)");
    }

    private void Table(string title, IReadOnlyList<JsonObject> rows, IReadOnlyList<string>? chosen)
    {
        var keys = chosen?.Where(c => rows.Any(r => r.ContainsKey(c))).ToList()
            ?? rows.SelectMany(r => r.Where(p => p.Value is not (JsonObject or JsonArray)).Select(p => p.Key)).Distinct(StringComparer.Ordinal).Take(MaxColumns).ToList();
        var table = new Table().Border(TableBorder.Rounded).Title($"{Markup.Escape(title)} ({rows.Count})");
        foreach (var key in keys) table.AddColumn(new TableColumn(Markup.Escape(key)));
        foreach (var row in rows) table.AddRow(keys.Select(k => (Spectre.Console.Rendering.IRenderable)new Text(Cell(row[k], MaxCell))).ToArray());
        console.Write(table);
    }

    private static string Cell(JsonNode? node, int max)
    {
        var text = ResponseValues.Text(node).ReplaceLineEndings(" ");
        return text.Length <= max ? text : text[..(max - 1)] + "…";
    }
}
