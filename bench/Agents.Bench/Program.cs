using Agents.Bench.Baseline;
using Agents.Bench.Figures;
using Agents.Bench.Report;
using Agents.Testing;

// ./run bench: every figure next to a baseline measured on this machine in this run.
if (args.FirstOrDefault() == BareTlsServer.Argument)
{
    // the scale figure's baseline runs this program a second time, as a bare mutual-TLS server
    await BareTlsServer.RunAsync(args[1], int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture));
    return;
}
var quick = args.Contains("--quick");
// --only pipeline,executor,scale,ca,footprint,api,ansible,cluster: a subset (the broker baseline always runs: every ratio needs it)
var only = args.SkipWhile(a => a != "--only").Skip(1).FirstOrDefault()?.Split(',');
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
    results.Note(quick ? "--quick: small counts (CI); the full suite is ./run bench" : "full suite");

    Console.WriteLine("broker baseline (raw RabbitMQ.Client, two hops, confirms, quorum queues)");
    var baseline = await new BrokerBaseline(node.AmqpUri()).RunAsync(messages: quick ? 2000 : 10_000, lightLoadSamples: quick ? 100 : 300);
    results.Add(new Figure("broker baseline", $"two hops at saturation ({CommandPipeline.InFlight} in flight)", baseline.PerSecond, "msg/s"));
    results.Add(new Figure("broker baseline", "latency p50 (light load)", baseline.P50, "ms"));
    results.Add(new Figure("broker baseline", "latency p95 (light load)", baseline.P95, "ms"));
    results.Add(new Figure("broker baseline", "latency p99 (light load)", baseline.P99, "ms"));

    var pipeline = new CommandPipeline(node, pki, work, baseline);
    await SectionAsync("pipeline", "command pipeline (agents.commands -> bridge process -> mutual TLS -> agent -> cloudstack-events)", () =>
        pipeline.RunAsync(results, agentCounts: quick ? [1, 100] : [1, 100, 1000], commands: quick ? 300 : 1000, samples: quick ? 50 : 200));

    await SectionAsync("executor", "the agent's executor alone (journal, policy, handler; no broker, no network)", () =>
        new AgentExecutor(work, baseline) { PipelineRecipes = pipeline.Recipes }.RunAsync(results, commands: quick ? 300 : 1000));

    await SectionAsync("scale", "scale of one bridge (idle agents over mutual TLS, memory per connection, fan-out)", () =>
        new BridgeScale(node, pki, work, baseline).RunAsync(results, ScaleCounts(quick ? [100, 1000] : [1000, 10_000]),
            idleWindow: TimeSpan.FromSeconds(quick ? 5 : 15)));

    await SectionAsync("ca", "CA (certificates from P-256 CSRs; raw .NET signing in the same run)", () =>
        new CaIssuance(node.AmqpUri(), node.DataDirectory, work).RunAsync(results, certificates: quick ? 600 : 3000, inFlight: 32));

    await SectionAsync("footprint", "agent footprint (the published NativeAOT agent: size, start, connected and idle)", () =>
        new AgentFootprint(node, pki, work).RunAsync(results, idleWindow: TimeSpan.FromSeconds(quick ? 15 : 60)));

    await SectionAsync("api", "through the API (the demo's stack as processes: resetPasswordForVirtualMachine, revokeCertificate)", () =>
        new ThroughTheApi(work, baseline).RunAsync(results, samples: quick ? 30 : 100, jobs: quick ? 150 : 600, inFlight: 16, revocations: quick ? 2 : 5));

    await SectionAsync("ansible", "the alternative a user would pick: a password reset on N targets with Ansible and with this system", () =>
        new AnsibleComparison(node, pki, work).RunAsync(results, targets: quick ? 20 : 100, concurrency: 20));

    await SectionAsync("cluster", "management cluster: API saturation on SQLite, on MariaDB, two APIs on one MariaDB; a fan-out through them to K bridges x M agents", () =>
        ClusterSize() is { } size
            // --cluster-size 50x200: the simulation alone at that size (docs/scale.md's 10,000 agents)
            // --cluster-concurrency N: each router's job sends N targets at a time (maxconcurrency; default all of them)
            ? new ClusterScale(node, pki, work) { FanOutConcurrency = ClusterConcurrency() }.RunAsync(results, size.Bridges, size.Agents, jobs: 0, inFlight: 0, fanOutOnly: true)
            : new ClusterScale(node, pki, work).RunAsync(results, bridges: quick ? 4 : 10, agentsPerBridge: quick ? 50 : 200, jobs: quick ? 200 : 400, inFlight: 32));

    await ReportWriter.WriteAsync(results, outDir, version);
    Console.WriteLine($"wrote {Path.Combine(outDir, "latest.md")} and latest.json");
}
finally
{
    try { Directory.Delete(work, recursive: true); }
    catch (IOException) { }
}

// a benchmark reports: a section that fails is written down as not measured, and the others still run
async Task SectionAsync(string name, string title, Func<Task> run)
{
    if (only is not null && !only.Contains(name)) return;
    Console.WriteLine(title);
    try { await run(); }
    catch (Exception e) when (e is not OutOfMemoryException)
    {
        Console.WriteLine($"  {name} failed: {e}");
        results.Note($"{name}: not measured ({e.GetType().Name}: {e.Message.Split('\n')[0]})");
    }
}

int? ClusterConcurrency() =>
    int.TryParse(args.SkipWhile(a => a != "--cluster-concurrency").Skip(1).FirstOrDefault(), System.Globalization.CultureInfo.InvariantCulture, out var n) && n > 0 ? n : null;

(int Bridges, int Agents)? ClusterSize()
{
    var value = args.SkipWhile(a => a != "--cluster-size").Skip(1).FirstOrDefault()?.Split('x');
    return value is [var k, var m] && int.TryParse(k, out var bridges) && int.TryParse(m, out var agents) && bridges > 0 && agents > 0 ? (bridges, agents) : null;
}

// each agent is one socket here and one in the bridge: stay under this process's open-file limit
int[] ScaleCounts(int[] wanted)
{
    var line = File.ReadLines("/proc/self/limits").FirstOrDefault(l => l.StartsWith("Max open files", StringComparison.Ordinal));
    var soft = line?["Max open files".Length..].Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries)[0];
    var limit = long.TryParse(soft, System.Globalization.CultureInfo.InvariantCulture, out var n) ? n : long.MaxValue;
    if (wanted.Max() + 2000 <= limit) return wanted;
    var capped = wanted.Select(c => (int)Math.Min(c, Math.Max(100, limit - 2000))).Distinct().ToArray();
    results.Note($"open-file limit {limit} (ulimit -n): scale capped at {capped.Max()} agents instead of {wanted.Max()}");
    return capped;
}
