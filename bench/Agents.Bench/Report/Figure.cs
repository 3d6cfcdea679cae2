namespace Agents.Bench.Report;

/// <summary>One measured figure, next to the baseline it is judged against (both from the same run).</summary>
public sealed record Figure(string Section, string Name, double Value, string Unit, double? Baseline = null, string? BaselineName = null, string? Goal = null)
{
    /// <summary>Value divided by baseline: for rates, higher is better.</summary>
    public double? Ratio => Baseline is > 0 ? Value / Baseline : null;
}

public sealed class Results
{
    private readonly List<Figure> _figures = [];
    private readonly List<string> _notes = [];
    public IReadOnlyList<Figure> Figures => _figures;

    /// <summary>What a reader must know about this run: its mode, anything left out and why.</summary>
    public IReadOnlyList<string> Notes => _notes;

    public void Note(string note) => _notes.Add(note);

    public Figure Add(Figure figure)
    {
        _figures.Add(figure);
        Console.WriteLine($"  {figure.Section} / {figure.Name}: {figure.Value:0.##} {figure.Unit}" +
            (figure.Ratio is { } r ? $"  (baseline {figure.Baseline:0.##}, ratio {r:0.00})" : ""));
        return figure;
    }
}
