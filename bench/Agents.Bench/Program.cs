using Agents.Bench.Figures;
using Agents.Bench.Report;
using Agents.Testing;

// ./run bench: every figure next to a baseline measured on this machine in this run.
var quick = args.Contains("--quick");
var outDir = Path.Combine(RepositoryPaths.Root, "bench", "results");
var results = new Results();

Console.WriteLine("starting a private RabbitMQ node");
await using var node = new RabbitMqNode(new RabbitMqNodeOptions());
await node.StartAsync();
var version = (await node.CtlAsync("version")).Trim();

Console.WriteLine("broker baseline (raw RabbitMQ.Client, two hops, confirms, quorum queues)");
var baseline = await new BrokerBaseline(node.AmqpUri()).RunAsync(messages: quick ? 2000 : 10_000, lightLoadSamples: quick ? 100 : 300);
results.Add(new Figure("broker baseline", "two hops at saturation", baseline.PerSecond, "msg/s"));
results.Add(new Figure("broker baseline", "latency p50 (light load)", baseline.P50, "ms"));
results.Add(new Figure("broker baseline", "latency p95 (light load)", baseline.P95, "ms"));
results.Add(new Figure("broker baseline", "latency p99 (light load)", baseline.P99, "ms"));

await ReportWriter.WriteAsync(results, outDir, version);
Console.WriteLine($"wrote {Path.Combine(outDir, "latest.md")} and latest.json");
