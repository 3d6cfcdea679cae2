using System.Globalization;
using System.Text;

namespace Agents.Testing;

/// <summary>One sample of a scrape: the series name (with the exporter's suffixes, e.g. <c>_total</c>), its labels, its value.</summary>
public sealed record MetricSample(string Name, IReadOnlyDictionary<string, string> Labels, double Value);

/// <summary>
/// A service's <c>/metrics</c> as Prometheus reads it: the text exposition format (version 0.0.4),
/// parsed into samples. Comments (<c># HELP</c>, <c># TYPE</c>) are kept by name for their type.
/// </summary>
public sealed class PrometheusScrape
{
    private PrometheusScrape(IReadOnlyList<MetricSample> samples, IReadOnlyDictionary<string, string> types)
    {
        Samples = samples;
        Types = types;
    }

    public IReadOnlyList<MetricSample> Samples { get; }

    /// <summary>The <c># TYPE</c> of each metric family (counter, gauge, histogram ...).</summary>
    public IReadOnlyDictionary<string, string> Types { get; }

    public static async Task<PrometheusScrape> GetAsync(HttpClient http, string serviceUrl)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(serviceUrl);
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(serviceUrl.TrimEnd('/') + "/metrics"));
        request.Headers.Accept.ParseAdd("text/plain; version=0.0.4");
        using var response = await http.SendAsync(request).ConfigureAwait(false);
        var body = await response.Content.ReadAsStringAsync().ConfigureAwait(false);
        if (!response.IsSuccessStatusCode) throw new HttpRequestException($"GET {request.RequestUri} answered {(int)response.StatusCode}: {body}");
        return Parse(body);
    }

    /// <summary>The sum of every sample named <paramref name="name"/> whose labels include <paramref name="labels"/>; 0 when there is none.</summary>
    public double Sum(string name, params (string Label, string Value)[] labels) =>
        Matching(name, labels).Sum(s => s.Value);

    public IEnumerable<MetricSample> Matching(string name, params (string Label, string Value)[] labels) =>
        Samples.Where(s => s.Name == name && labels.All(l => s.Labels.TryGetValue(l.Label, out var v) && v == l.Value));

    /// <exception cref="FormatException">A line is not in the text format.</exception>
    public static PrometheusScrape Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var samples = new List<MetricSample>();
        var types = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.TrimEnd('\r');
            if (line.Length == 0) continue;
            if (line.StartsWith("# TYPE ", StringComparison.Ordinal))
            {
                var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                if (parts.Length >= 4) types[parts[2]] = parts[3];
                continue;
            }
            if (line[0] == '#') continue;
            samples.Add(ParseSample(line));
        }
        return new PrometheusScrape(samples, types);
    }

    private static MetricSample ParseSample(string line)
    {
        var i = 0;
        while (i < line.Length && line[i] != '{' && line[i] != ' ') i++;
        var name = line[..i];
        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        if (i < line.Length && line[i] == '{')
        {
            i++;
            while (i < line.Length && line[i] != '}')
            {
                var eq = line.IndexOf('=', i);
                if (eq < 0 || eq + 1 >= line.Length || line[eq + 1] != '"') throw new FormatException($"not a label in: {line}");
                var label = line[i..eq].Trim();
                var value = new StringBuilder();
                var j = eq + 2;
                for (; j < line.Length && line[j] != '"'; j++)
                {
                    if (line[j] == '\\' && j + 1 < line.Length)
                    {
                        j++;
                        value.Append(line[j] == 'n' ? '\n' : line[j]);
                    }
                    else value.Append(line[j]);
                }
                if (j >= line.Length) throw new FormatException($"an unterminated label value in: {line}");
                labels[label] = value.ToString();
                i = j + 1;
                if (i < line.Length && line[i] == ',') i++;
            }
            i++;
        }
        var rest = line[i..].Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (name.Length == 0 || rest.Length == 0) throw new FormatException($"not a sample: {line}");
        return new MetricSample(name, labels, ParseValue(rest[0]));
    }

    private static double ParseValue(string value) => value switch
    {
        "+Inf" => double.PositiveInfinity,
        "-Inf" => double.NegativeInfinity,
        "NaN" => double.NaN,
        _ => double.Parse(value, NumberStyles.Float, CultureInfo.InvariantCulture),
    };
}
