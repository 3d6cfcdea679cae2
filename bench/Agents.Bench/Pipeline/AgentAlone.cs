using System.Diagnostics;
using System.Text.Json;
using Agents.Contracts.Commands;
using Agents.Contracts.Protocol;
using Agents.VmAgent.Core.Handlers;
using Agents.VmAgent.Core.Journal;
using Agents.VmAgent.Core.Logging;
using Agents.VmAgent.Core.Os;
using Agents.VmAgent.Core.Policy;
using Agents.VmAgent.Core.Recipes;

namespace Agents.Bench.Pipeline;

/// <summary>
/// The agent's share of a command without any network: the executor an agent runs (policy check,
/// journal entry written and fsync'd before and after, then the handler), in this process.
/// </summary>
public static class AgentAlone
{
    /// <summary>The no-op recipe: written to a work directory and run as a process.</summary>
    public static Task<double> RecipesPerSecondAsync(string directory, int commands, int inFlight)
    {
        var os = Sandbox(directory);
        var handler = new RunRecipeHandler(new RecipeCatalog(AgentFleet.WriteRecipe(directory)), new RecipeRunner(), os.RecipeEnvironment);
        var payload = AgentCommand.PayloadOf(new RunRecipe { Name = AgentFleet.Recipe, TimeoutSeconds = 60 });
        return RateAsync(directory, handler, AgentFleet.Policy, CommandTypes.RunRecipe, payload, commands, inFlight);
    }

    /// <summary>An SSH key reset in the sandbox: the same journal, a file write instead of a process.</summary>
    public static Task<double> SshKeyResetsPerSecondAsync(string directory, int commands, int inFlight)
    {
        var handler = new ResetSshKeyHandler(Sandbox(directory));
        var payload = AgentCommand.PayloadOf(new ResetVmSshKey { Username = "bench", PublicKeys = ["ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIBenchKey bench@example"] });
        return RateAsync(directory, handler, AgentPolicy.Default, CommandTypes.ResetVmSshKey, payload, commands, inFlight);
    }

    private static SandboxGuestOs Sandbox(string directory) => new(Directory.CreateDirectory(Path.Combine(directory, "sandbox")).FullName);

    private static async Task<double> RateAsync(string directory, ICommandHandler handler, AgentPolicy policy, string type, JsonElement payload, int commands, int inFlight)
    {
        var executor = new CommandExecutor([handler], new CommandJournal(Path.Combine(directory, "journal-" + type)), policy, NullAgentLog.Instance,
            Directory.CreateDirectory(Path.Combine(directory, "work")).FullName);
        var next = -1;
        var failures = 0;
        var watch = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, inFlight).Select(async _ =>
        {
            while (Interlocked.Increment(ref next) < commands)
            {
                var result = await executor.ExecuteAsync(new CommandFrame(Guid.NewGuid(), Guid.NewGuid(), type, payload, 60), CancellationToken.None);
                if (result.Outcome != CommandOutcome.Success) Interlocked.Increment(ref failures);
            }
        }));
        var perSecond = commands / watch.Elapsed.TotalSeconds;
        if (failures > 0) throw new InvalidOperationException($"{failures} of {commands} {type} commands did not succeed on the bare executor");
        return perSecond;
    }
}
