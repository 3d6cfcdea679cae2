using Agents.Bench.Pipeline;
using Agents.Bench.Report;

namespace Agents.Bench.Figures;

/// <summary>
/// What bounds the pipeline from below: the agent's executor alone (journal, policy, handler) in this
/// process, with no broker and no network. Three rounds of each, the median reported, so a burst of
/// load from the rest of the machine does not decide the figure. Issue 20's two goals on it are judged here: the
/// executor's SSH-key rate against the executor before the append-only journal (<see cref="FilePerCommandExecutor"/>,
/// goal 2x), and the recipe pipeline's rates (when the pipeline section ran) against the recipe executor alone (goal 0.9).
/// </summary>
public sealed class AgentExecutor(string directory, BrokerBaseline.Result baseline)
{
    /// <summary>The pipeline section's recipe rate at saturation per agent count, to put beside the executor alone.</summary>
    public IReadOnlyList<(int Agents, double PerSecond)> PipelineRecipes { get; init; } = [];

    private const int Rounds = 3;

    public async Task RunAsync(Results results, int commands)
    {
        var recipes = new List<double>();
        var recipeCpu = new List<(double PerUnitMs, double CoresBusy)>();
        var keys = new List<double>();
        var handlerAlone = new List<double>();
        var filePerCommand = new List<double>();
        for (var round = 0; round < Rounds; round++)
        {
            var work = Path.Combine(directory, $"agent-alone-{round}");
            var cpu = CpuAccount.Take();
            recipes.Add(await AgentAlone.RecipesPerSecondAsync(work, commands, CommandPipeline.InFlight));
            recipeCpu.Add(cpu.Machine(commands));
            keys.Add(await AgentAlone.SshKeyResetsPerSecondAsync(work, commands * 4, CommandPipeline.InFlight));
            handlerAlone.Add(await AgentAlone.SshKeyHandlerPerSecondAsync(work, commands * 4, CommandPipeline.InFlight));
            filePerCommand.Add(await AgentAlone.SshKeyResetsWithFilePerCommandJournalPerSecondAsync(work, commands * 4, CommandPipeline.InFlight));
        }
        results.Add(new Figure("agent executor alone", $"journal + no-op recipe process ({CommandPipeline.InFlight} in flight, median of {Rounds})",
            Median(recipes), "cmd/s", baseline.PerSecond, "broker two hops"));
        // beside the pipeline's own row of the same name: on cores both keep busy, their rates go as the inverse of these
        var (recipeMs, recipeCores) = recipeCpu.OrderBy(c => c.PerUnitMs).ElementAt(Rounds / 2);
        results.Add(new Figure("agent executor alone", $"recipes: CPU per unit, whole machine ({recipeCores:0.00} of {Environment.ProcessorCount} cores busy; median of {Rounds})", recipeMs, "CPU-ms"));
        results.Add(new Figure("agent executor alone", $"journal + SSH key file, no process ({CommandPipeline.InFlight} in flight, median of {Rounds})",
            Median(keys), "cmd/s", baseline.PerSecond, "broker two hops"));
        results.Add(new Figure("agent executor alone", $"before the append-only journal: a started and a result file per command, each fsync'd ({CommandPipeline.InFlight} in flight, median of {Rounds})",
            Median(filePerCommand), "cmd/s", baseline.PerSecond, "broker two hops"));
        results.Add(new Figure("agent executor alone", "journal + SSH key file, over the executor before the append-only journal",
            Median(keys), "cmd/s", Median(filePerCommand), "before the append-only journal", "ratio >= 2"));
        // the ceiling of the row above: the handler's own durable write (temp file, fsync, rename) of one authorized_keys file
        results.Add(new Figure("agent executor alone", $"SSH key handler alone, no journal ({CommandPipeline.InFlight} in flight, median of {Rounds})",
            Median(handlerAlone), "cmd/s", baseline.PerSecond, "broker two hops"));
        // the process start is the recipe's floor by design: the pipeline is judged against the executor that pays it too
        foreach (var (agents, perSecond) in PipelineRecipes)
            results.Add(new Figure($"command pipeline, {agents} agent{(agents == 1 ? "" : "s")}", "recipes at saturation, over the recipe executor alone",
                perSecond, "cmd/s", Median(recipes), "recipe executor alone", "ratio >= 0.9"));
    }

    private static double Median(List<double> values) => values.Order().ElementAt(values.Count / 2);
}
