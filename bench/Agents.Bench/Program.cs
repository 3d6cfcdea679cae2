using Agents.Bench.Figures;
using Agents.Bench.Report;
using Agents.Testing;
using Agents.VmAgent.Tests.Support;

// ./run bench: every figure next to a baseline measured on this machine in this run.
var quick = args.Contains("--quick");
// --only pipeline,scale,ca: a subset (the broker baseline always runs: every ratio needs it)
var only = args.SkipWhile(a => a != "--only").Skip(1).FirstOrDefault()?.Split(',');
bool Wanted(string figure) => only is null || only.Contains(figure);
var outDir = Path.Combine(RepositoryPaths.Root, "bench", "results");
var results = new Results();
var work = Directory.CreateTempSubdirectory("agents-bench-").FullName;

try
{
    Console.WriteLine("starting a private RabbitMQ node");
    await using var node = new RabbitMqNode(new RabbitMqNodeOptions());
    await node.StartAsync();
    var version = (await node.CtlAsync("version")).Trim();
    using var pki = new TestPki("Bench Root CA");

    Console.WriteLine("broker baseline (raw RabbitMQ.Client, two hops, confirms, quorum queues)");
    var baseline = await new BrokerBaseline(node.AmqpUri()).RunAsync(messages: quick ? 2000 : 10_000, lightLoadSamples: quick ? 100 : 300);
    results.Add(new Figure("broker baseline", $"two hops at saturation ({CommandPipeline.InFlight} in flight)", baseline.PerSecond, "msg/s"));
    results.Add(new Figure("broker baseline", "latency p50 (light load)", baseline.P50, "ms"));
    results.Add(new Figure("broker baseline", "latency p95 (light load)", baseline.P95, "ms"));
    results.Add(new Figure("broker baseline", "latency p99 (light load)", baseline.P99, "ms"));

    if (Wanted("pipeline"))
    {
    Console.WriteLine("command pipeline (agents.commands -> bridge process -> mutual TLS -> agent -> cloudstack-events)");
    await new CommandPipeline(node, pki, work, baseline).RunAsync(results,
        agentCounts: quick ? [1, 100] : [1, 100, 1000], commands: quick ? 300 : 2000, samples: quick ? 50 : 200);
    }

    if (Wanted("scale"))
    {
    Console.WriteLine("scale of one bridge (idle agents over mutual TLS, memory per connection, fan-out)");
    await new BridgeScale(node, pki, work, baseline).RunAsync(results,
        agentCounts: quick ? [100, 1000] : [1000, 10_000], idleWindow: TimeSpan.FromSeconds(quick ? 5 : 15));
    }

    if (Wanted("ca"))
    {
        Console.WriteLine("CA (certificates from P-256 CSRs; raw .NET signing in the same run)");
        await new CaIssuance(node.AmqpUri(), work).RunAsync(results, certificates: quick ? 500 : 3000, inFlight: 8);
    }

    if (Wanted("footprint"))
    {
        Console.WriteLine("agent footprint (the published single-file agent, connected and idle)");
        await new AgentFootprint(node, pki, work).RunAsync(results, idleWindow: TimeSpan.FromSeconds(quick ? 15 : 60));
    }

    await ReportWriter.WriteAsync(results, outDir, version);
    Console.WriteLine($"wrote {Path.Combine(outDir, "latest.md")} and latest.json");
}
finally
{
    try { Directory.Delete(work, recursive: true); }
    catch (IOException) { }
}
