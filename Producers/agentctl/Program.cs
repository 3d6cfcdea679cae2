using Agents.Cli.Cli;
using Spectre.Console;

// agentctl: see CommandTree. Output: tables on stdout (or --json), progress and errors on stderr.
var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Out) });
var root = CommandTree.Build(console, Console.Out, Console.Error);
return await root.Parse(args).InvokeAsync();
