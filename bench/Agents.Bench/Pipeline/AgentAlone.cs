using System.Diagnostics;
using System.Text.Json;
using Agents.VmAgent.Core.Handlers;
using Agents.VmAgent.Core.Journal;
using Agents.VmAgent.Core.Logging;
using Agents.VmAgent.Core.Os;
using Agents.VmAgent.Core.Protocol;
using Agents.VmAgent.Core.Recipes;

namespace Agents.Bench.Pipeline;

/// <summary>
/// The agent's share of a command without any network: the executor an agent runs (policy check,
/// journal written and fsync'd before and after, the no-op recipe run as a process).
/// </summary>
public static class AgentAlone
{
    public static async Task<double> CommandsPerSecondAsync(string directory, int commands, int inFlight)
    {
        var os = new SandboxGuestOs(Directory.CreateDirectory(Path.Combine(directory, "sandbox")).FullName);
        var executor = new CommandExecutor(
            [new RunRecipeHandler(new RecipeCatalog(AgentFleet.WriteRecipe(directory)), new RecipeRunner(), os.RecipeEnvironment)],
            new CommandJournal(Path.Combine(directory, "journal")), AgentFleet.Policy, NullAgentLog.Instance,
            Directory.CreateDirectory(Path.Combine(directory, "work")).FullName);
        var payload = JsonSerializer.SerializeToElement(new RunRecipePayload(AgentFleet.Recipe, TimeoutSeconds: 60), ProtocolJson.Default.RunRecipePayload);
        var next = -1;
        var failures = 0;
        var watch = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, inFlight).Select(async _ =>
        {
            while (Interlocked.Increment(ref next) < commands)
            {
                var result = await executor.ExecuteAsync(new CommandFrame(Guid.NewGuid(), Guid.NewGuid(), CommandTypes.RunRecipe, payload, 60), CancellationToken.None);
                if (result.Outcome != AgentOutcome.Success) Interlocked.Increment(ref failures);
            }
        }));
        var perSecond = commands / watch.Elapsed.TotalSeconds;
        if (failures > 0) throw new InvalidOperationException($"{failures} of {commands} no-op recipes did not succeed on the bare executor");
        return perSecond;
    }
}
