using Agents.Cli.Cli;
using Spectre.Console;

// agentctl: see CommandTree. Output: tables on stdout (or --json), progress and errors on stderr.
var console = Terminal(Console.Out, Console.IsOutputRedirected);
var progress = Terminal(Console.Error, Console.IsErrorRedirected);
var root = CommandTree.Build(console, progress, Console.Out, Console.Error);
return await root.Parse(args).InvokeAsync();

// a stream that is not a terminal gets no ANSI codes at all, and no colour when NO_COLOR is set (no-color.org)
static IAnsiConsole Terminal(TextWriter writer, bool redirected)
{
    var noColor = redirected || Environment.GetEnvironmentVariable("NO_COLOR") is { Length: > 0 };
    return AnsiConsole.Create(new AnsiConsoleSettings
    {
        Out = new AnsiConsoleOutput(writer),
        Ansi = redirected ? AnsiSupport.No : AnsiSupport.Detect,
        ColorSystem = noColor ? ColorSystemSupport.NoColors : ColorSystemSupport.Detect,
        Interactive = redirected ? InteractionSupport.No : InteractionSupport.Detect,
    });
}

