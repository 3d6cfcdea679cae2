using System.Diagnostics;
using Spectre.Console;

namespace Agents.Demo.Steps;

/// <summary>Runs the steps one by one, shows each as it happens, and keeps the results for the summary.</summary>
public sealed class StepRunner
{
    private readonly List<StepResult> _results = [];

    public IReadOnlyList<StepResult> Results => _results;

    public bool AllDone => _results.Count > 0 && _results.All(r => r.Done);

    public async Task RunAsync(string step, Func<Task<string>> action)
    {
        AnsiConsole.MarkupLine($"[bold blue]▶ {Markup.Escape(step)}[/]");
        var clock = Stopwatch.StartNew();
        try
        {
            var detail = await action();
            _results.Add(new StepResult(step, true, detail, clock.Elapsed));
            AnsiConsole.MarkupLine($"  [green]✔ {Markup.Escape(detail)}[/] [grey]({clock.Elapsed.TotalSeconds:0.0} s)[/]");
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            _results.Add(new StepResult(step, false, e.Message, clock.Elapsed));
            AnsiConsole.MarkupLine($"  [red]✘ {Markup.Escape(e.Message)}[/]");
        }
    }

    public static void Say(string text) => AnsiConsole.MarkupLine($"  [grey]{Markup.Escape(text)}[/]");

    public void PrintSummary()
    {
        var table = new Table().Border(TableBorder.Rounded).AddColumn("step").AddColumn("result").AddColumn("time").AddColumn("detail");
        foreach (var r in _results)
        {
            var detail = r.Detail.Length > 90 ? r.Detail[..87] + "..." : r.Detail;
            table.AddRow(Markup.Escape(r.Step), r.Done ? "[green]done[/]" : "[red]FAILED[/]", $"{r.Elapsed.TotalSeconds:0.0} s", Markup.Escape(detail));
        }
        AnsiConsole.Write(table);
        var failed = _results.Count(r => !r.Done);
        AnsiConsole.MarkupLine(failed == 0
            ? $"[bold green]{_results.Count} of {_results.Count} steps done[/]"
            : $"[bold red]{failed} of {_results.Count} steps failed[/]");
    }
}
