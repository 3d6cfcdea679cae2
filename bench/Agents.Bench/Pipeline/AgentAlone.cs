using System.Diagnostics;
using System.Text.Json;
using Agents.Contracts.Commands;
using Agents.Contracts.Protocol;
using Agents.Testing;
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
    private static readonly JsonElement SshKeyPayload =
        AgentCommand.PayloadOf(new ResetVmSshKey { Username = "bench", PublicKeys = ["ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIBenchKey bench@example"] });

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
        return RateAsync(directory, handler, AgentPolicy.Default, CommandTypes.ResetVmSshKey, SshKeyPayload, commands, inFlight);
    }

    /// <summary>The same SSH key resets through the executor as it was before the append-only journal: the baseline of issue 20's 2x goal.</summary>
    public static Task<double> SshKeyResetsWithFilePerCommandJournalPerSecondAsync(string directory, int commands, int inFlight)
    {
        var handler = new ResetSshKeyHandler(Sandbox(directory));
        var executor = new FilePerCommandExecutor(handler, AgentPolicy.Default,
            Directory.CreateDirectory(Path.Combine(directory, "journal-per-file-" + CommandTypes.ResetVmSshKey)).FullName,
            Directory.CreateDirectory(Path.Combine(directory, "work")).FullName);
        return DriveAsync(CommandTypes.ResetVmSshKey, commands, inFlight, async () =>
            (await executor.ExecuteAsync(new CommandFrame(Guid.NewGuid(), Guid.NewGuid(), CommandTypes.ResetVmSshKey, SshKeyPayload, 60), CancellationToken.None)).Outcome);
    }

    /// <summary>The SSH key handler by itself, no policy and no journal: the ceiling of <see cref="SshKeyResetsPerSecondAsync"/>.</summary>
    public static Task<double> SshKeyHandlerPerSecondAsync(string directory, int commands, int inFlight)
    {
        var handler = new ResetSshKeyHandler(Sandbox(directory));
        var work = Directory.CreateDirectory(Path.Combine(directory, "work")).FullName;
        return DriveAsync(CommandTypes.ResetVmSshKey, commands, inFlight, async () =>
        {
            var command = new CommandFrame(Guid.NewGuid(), Guid.NewGuid(), CommandTypes.ResetVmSshKey, SshKeyPayload, 60);
            return (await handler.HandleAsync(new CommandContext(command, AgentPolicy.Default, NullAgentLog.Instance, work), CancellationToken.None)).Outcome;
        });
    }

    private static SandboxGuestOs Sandbox(string directory) => new(Directory.CreateDirectory(Path.Combine(directory, "sandbox")).FullName);

    private static Task<double> RateAsync(string directory, ICommandHandler handler, AgentPolicy policy, string type, JsonElement payload, int commands, int inFlight)
    {
        var executor = new CommandExecutor([handler], new CommandJournal(Path.Combine(directory, "journal-" + type)), policy, NullAgentLog.Instance,
            Directory.CreateDirectory(Path.Combine(directory, "work")).FullName);
        return DriveAsync(type, commands, inFlight, async () =>
            (await executor.ExecuteAsync(new CommandFrame(Guid.NewGuid(), Guid.NewGuid(), type, payload, 60), CancellationToken.None)).Outcome);
    }

    /// <summary>Runs <paramref name="commands"/> calls of <paramref name="one"/>, <paramref name="inFlight"/> at a time; commands per second.</summary>
    private static async Task<double> DriveAsync(string type, int commands, int inFlight, Func<Task<CommandOutcome>> one)
    {
        var next = -1;
        var failures = 0;
        var watch = Stopwatch.StartNew();
        // each worker on the thread pool: a handler that completes synchronously (a file write) must not run the others' share in line
        await Task.WhenAll(Enumerable.Range(0, inFlight).Select(_ => Task.Run(async () =>
        {
            while (Interlocked.Increment(ref next) < commands)
                if (await one() != CommandOutcome.Success) Interlocked.Increment(ref failures);
        })));
        var perSecond = commands / watch.Elapsed.TotalSeconds;
        if (failures > 0) throw new InvalidOperationException($"{failures} of {commands} {type} commands did not succeed");
        return perSecond;
    }
}
