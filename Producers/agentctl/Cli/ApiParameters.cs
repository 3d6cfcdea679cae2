using Agents.Cli.Config;

namespace Agents.Cli.Cli;

/// <summary>CloudMonkey's <c>key=value</c> arguments; the value may itself hold '='.</summary>
public static class ApiParameters
{
    public static IReadOnlyList<KeyValuePair<string, string>> Parse(IEnumerable<string> tokens)
    {
        ArgumentNullException.ThrowIfNull(tokens);
        var parameters = new List<KeyValuePair<string, string>>();
        foreach (var token in tokens)
        {
            var eq = token.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0) throw new CliException($"'{token}' is not key=value");
            var key = token[..eq];
            if (key.Equals("command", StringComparison.OrdinalIgnoreCase) || key.Equals("apikey", StringComparison.OrdinalIgnoreCase)
                || key.Equals("signature", StringComparison.OrdinalIgnoreCase) || key.Equals("response", StringComparison.OrdinalIgnoreCase))
                throw new CliException($"'{key}' is set by agentctl itself");
            if (parameters.Any(p => p.Key.Equals(key, StringComparison.OrdinalIgnoreCase))) throw new CliException($"parameter '{key}' is given twice");
            parameters.Add(new(key, token[(eq + 1)..]));
        }
        return parameters;
    }

    /// <summary>CloudStack's map syntax: <c>name[0].key=K&amp;name[0].value=V</c>.</summary>
    public static IEnumerable<KeyValuePair<string, string>> Map(string name, IEnumerable<string> pairs)
    {
        ArgumentNullException.ThrowIfNull(pairs);
        var index = 0;
        foreach (var pair in pairs)
        {
            var eq = pair.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0) throw new CliException($"--param '{pair}' is not KEY=VALUE");
            yield return new($"{name}[{index}].key", pair[..eq]);
            yield return new($"{name}[{index}].value", pair[(eq + 1)..]);
            index++;
        }
    }
}
