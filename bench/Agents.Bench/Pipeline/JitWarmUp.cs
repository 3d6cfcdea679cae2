using System.Diagnostics;

namespace Agents.Bench.Pipeline;

/// <summary>
/// Warms processes the bench measures but did not compile itself (the bridge, the API, the agents...): runs passes of
/// the work until, in every one of them, the runtime's tiered-compilation thread (<c>.NET Tiered Com</c>, the JIT
/// recompiling hot methods at their final tier) used under 2 % of a pass's time. A running system is warm; a
/// process a few seconds old is not (perf of the bench's bridge, 2026-12-06: 40 % of its samples in libclrjit through
/// the first rounds).
/// </summary>
public static class JitWarmUp
{
    public const string TieringThread = ".NET Tiered Com";
    public const double QuietShare = 0.02;

    /// <summary>The passes run and the largest share of a pass the JIT thread of one of <paramref name="pids"/> took in the last.</summary>
    public static async Task<(int Passes, double LastShare, TimeSpan Took)> RunAsync(Func<IReadOnlyList<int>> pids, Func<Task> pass, int minPasses = 2, int maxPasses = 20)
    {
        var watch = Stopwatch.StartNew();
        var passes = 0;
        double share;
        do
        {
            var processes = pids();
            var before = processes.Select(pid => ProcessCpu.ThreadSeconds(pid, TieringThread)).ToList();
            var took = Stopwatch.StartNew();
            await pass();
            var seconds = took.Elapsed.TotalSeconds;
            share = processes.Select((pid, i) => (ProcessCpu.ThreadSeconds(pid, TieringThread) - before[i]) / seconds).DefaultIfEmpty(0).Max();
            passes++;
        }
        while (passes < maxPasses && (passes < minPasses || share >= QuietShare));
        return (passes, share, watch.Elapsed);
    }
}
