using Agents.Bench.Pipeline;
using Agents.Bench.Report;

namespace Agents.Bench.Figures;

/// <summary>
/// What bounds the pipeline from below: the agent's executor alone (journal, policy, handler) in this
/// process, with no broker and no network. Three rounds of each, the median reported, so a burst of
/// load from the rest of the machine does not decide the figure.
/// </summary>
public sealed class AgentExecutor(string directory, BrokerBaseline.Result baseline)
{
    private const int Rounds = 3;

    public async Task RunAsync(Results results, int commands)
    {
        var recipes = new List<double>();
        var keys = new List<double>();
        var handlerAlone = new List<double>();
        for (var round = 0; round < Rounds; round++)
        {
            var work = Path.Combine(directory, $"agent-alone-{round}");
            recipes.Add(await AgentAlone.RecipesPerSecondAsync(work, commands, CommandPipeline.InFlight));
            keys.Add(await AgentAlone.SshKeyResetsPerSecondAsync(work, commands * 4, CommandPipeline.InFlight));
            handlerAlone.Add(await AgentAlone.SshKeyHandlerPerSecondAsync(work, commands * 4, CommandPipeline.InFlight));
        }
        results.Add(new Figure("agent executor alone", $"journal + no-op recipe process ({CommandPipeline.InFlight} in flight, median of {Rounds})",
            Median(recipes), "cmd/s", baseline.PerSecond, "broker two hops"));
        results.Add(new Figure("agent executor alone", $"journal + SSH key file, no process ({CommandPipeline.InFlight} in flight, median of {Rounds})",
            Median(keys), "cmd/s", baseline.PerSecond, "broker two hops"));
        // the ceiling of the row above: the handler's own durable write (temp file, fsync, rename) of one authorized_keys file
        results.Add(new Figure("agent executor alone", $"SSH key handler alone, no journal ({CommandPipeline.InFlight} in flight, median of {Rounds})",
            Median(handlerAlone), "cmd/s", baseline.PerSecond, "broker two hops"));
    }

    private static double Median(List<double> values) => values.Order().ElementAt(values.Count / 2);
}
