using System.CommandLine;
using System.Text.RegularExpressions;

namespace Agents.Messaging.Hosting;

/// <summary>
/// The command line every service shares (System.CommandLine): <c>--help</c> and <c>--version</c>
/// answer and exit 0; every other token must be a setting, <c>--Section:Key=Value</c> or
/// <c>--Section:Key Value</c> (what Microsoft.Extensions.Configuration reads); anything else is
/// refused with one line on stderr and exit code 2, before the service starts.
/// </summary>
public static partial class ServiceCommandLine
{
    public const int BadUsage = 2;

    /// <summary>Null: go on and start the service with <paramref name="args"/>. A number: exit with it.</summary>
    public static int? Handle(string name, string description, string[] args, TextWriter? output = null, TextWriter? error = null)
    {
        ArgumentNullException.ThrowIfNull(args);
        output ??= Console.Out;
        error ??= Console.Error;
        var root = new RootCommand($"""
            {name}: {description}

            Settings, over appsettings.json (beside the program) and environment variables (Section__Key):
              --Section:Key=Value   or   --Section:Key Value
            for example --RabbitMq:Uri=amqp://user:password@host:5672/ . Every setting, its default
            and its CloudStack name: docs/operations.md.
            """)
        {
            TreatUnmatchedTokensAsErrors = false,
        };
        root.SetAction(_ => 0);
        // a setting's value may begin with '@': not a response file
        var result = root.Parse(args, new ParserConfiguration { ResponseFileTokenReplacer = null });
        if (result.Errors.Count > 0)
        {
            error.WriteLine($"{name}: {result.Errors[0].Message} (--help shows the usage)");
            return BadUsage;
        }
        if (!ReferenceEquals(result.Action, root.Action))
            return result.Invoke(new InvocationConfiguration { Output = output, Error = error });
        var bad = FirstNonSetting(result.UnmatchedTokens);
        if (bad is null) return null;
        error.WriteLine($"{name}: unknown option '{bad}': settings are --Section:Key=Value (--help shows the usage)");
        return BadUsage;
    }

    private static string? FirstNonSetting(IReadOnlyList<string> tokens)
    {
        for (var i = 0; i < tokens.Count; i++)
        {
            if (SettingWithValue().IsMatch(tokens[i])) continue;
            if (SettingKey().IsMatch(tokens[i]) && i + 1 < tokens.Count && !tokens[i + 1].StartsWith("--", StringComparison.Ordinal)) { i++; continue; }
            return tokens[i];
        }
        return null;
    }

    [GeneratedRegex(@"^(--|/)?[A-Za-z][\w.-]*(:[\w.-]+)*=", RegexOptions.CultureInvariant)]
    private static partial Regex SettingWithValue();

    [GeneratedRegex(@"^(--|/)[A-Za-z][\w.-]*(:[\w.-]+)+$", RegexOptions.CultureInvariant)]
    private static partial Regex SettingKey();
}
