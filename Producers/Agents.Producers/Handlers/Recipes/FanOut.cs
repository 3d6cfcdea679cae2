using System.Globalization;
using Agents.Producers.Api;

namespace Agents.Producers.Handlers.Recipes;

/// <summary>
/// maxconcurrency and maxerrors of a fan-out call. maxerrors is a count or a percentage of the
/// targets (rounded down): once more targets than that have failed, no new target is sent; those
/// already in flight (at most maxconcurrency - 1) still finish and are reported.
/// </summary>
public sealed record FanOut(int MaxConcurrency, int MaxErrors)
{
    public static readonly ApiParameter MaxConcurrencyParameter = new("maxconcurrency", ApiParameterType.Integer,
        "targets running at once (agents.fanout.max.concurrency when absent)");
    public static readonly ApiParameter MaxErrorsParameter = new("maxerrors", ApiParameterType.String,
        "failed targets tolerated before no new target is sent: a count or a percentage (5 or 10%); 0 when absent");

    public static FanOut From(ApiCall call, int targets, int defaultConcurrency)
    {
        ArgumentNullException.ThrowIfNull(call);
        var concurrency = call.OptionalInt(MaxConcurrencyParameter, 1, 10_000) ?? defaultConcurrency;
        return new FanOut(concurrency, MaxErrorsOf(call.Optional(MaxErrorsParameter), targets));
    }

    public static int MaxErrorsOf(string? value, int targets)
    {
        if (value is null) return 0;
        var percent = value.EndsWith('%');
        var number = percent ? value[..^1] : value;
        if (!int.TryParse(number, NumberStyles.None, CultureInfo.InvariantCulture, out var n) || (percent && n > 100))
            throw ApiException.Parameter($"maxerrors '{value}' must be a number of targets or a percentage (e.g. 5 or 10%)");
        return percent ? targets * n / 100 : n;
    }
}
