using Agents.VmAgent;
using Agents.VmAgent.Core.Logging;
using Agents.VmAgent.Hosting;
using Agents.VmAgent.Settings;

// Exit codes: 0 stopped cleanly (or --version/--help/--check), 2 bad settings, 1 unexpected failure.
const string Name = "agents-vm-agent";
CommandLine commandLine;
AgentConfiguration config;
try
{
    commandLine = CommandLine.Parse(args);
    switch (commandLine.Action)
    {
        case AgentAction.Version:
            Console.WriteLine($"{Name} {AgentVersion.Text}");
            return 0;
        case AgentAction.Help:
            Console.WriteLine(CommandLine.Usage);
            return 0;
        case AgentAction.ListRecipes:
            foreach (var recipe in Agents.VmAgent.Core.Recipes.RecipeCatalog.BuiltIns())
                Console.WriteLine($"{recipe.Name}{recipe.Extension}  sha256 {recipe.Sha256}");
            return 0;
    }
    config = AgentConfiguration.Load(commandLine);
}
catch (SettingsException e)
{
    Console.Error.WriteLine($"{Name}: {e.Message}");
    return 2;
}

if (commandLine.Action == AgentAction.Check)
{
    Console.WriteLine(AgentRunner.Describe(config, config.SandboxRoot is null ? Environment.OSVersion.Platform.ToString() : "sandbox"));
    Console.WriteLine("settings OK");
    return 0;
}

// before the first TLS connection: the agent's one root is the only store OpenSSL loads
Agents.VmAgent.Core.Identity.SystemTrustStore.ReplaceWith(config.CaFile);

try
{
    if (commandLine.AsWindowsService && OperatingSystem.IsWindows())
        return WindowsService.Run(config);
    var log = new ConsoleAgentLog(config.LogLevel);
    using var signals = new ShutdownSignals();
    return await AgentRunner.RunAsync(config, log, signals.Token);
}
#pragma warning disable CA1031 // the last line of defence: say what happened, exit non-zero for the service manager
catch (Exception e)
#pragma warning restore CA1031
{
    Console.Error.WriteLine($"{Name}: stopped by an unexpected error: {e}");
    return 1;
}
