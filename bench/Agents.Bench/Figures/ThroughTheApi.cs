using System.Diagnostics;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json.Nodes;
using Agents.Bench.Pipeline;
using Agents.Bench.Report;
using Agents.Contracts;
using Agents.Contracts.Commands;
using Agents.Contracts.Events;
using Agents.Demo.Stack;
using Agents.Producers.Client;
using Agents.Security.Sealing;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;

namespace Agents.Bench.Figures;

/// <summary>
/// The system as a client of the API sees it: the demo's stack as separate processes (broker, CA,
/// API, consumers, SMTP server, one bridge, three agents in sandbox mode), driven over signed HTTP.
/// A password reset is timed from the request to queryAsyncJobResult reporting success; the
/// revocation from the revokeCertificate request to the bridge's Down event for that agent.
/// </summary>
public sealed class ThroughTheApi(string directory, BrokerBaseline.Result baseline)
{
    private const string Section = "through the API";
    private static readonly TimeSpan JobTimeout = TimeSpan.FromMinutes(2);

    public async Task RunAsync(Results results, int samples, int jobs, int inFlight, int revocations)
    {
        var layout = StackLayout.Create(Path.Combine(directory, "stack"));
        await using var stack = new DemoStack(layout, _ => { });
        await stack.StartAsync();
        var vms = layout.Vms;

        var vmIds = vms.Select(v => v.Id).ToList();
        // the baseline: the same password resets published straight onto agents.commands (sealed to each agent's
        // certificate, confirmed) with the outcome event taken from cloudstack-events; same broker, bridge and agents
        await using var direct = await DirectPublisher.StartAsync(stack);

        // warm-up: each agent's first command both ways, then passes of both until every process's JIT is quiet
        foreach (var vm in vmIds)
        {
            await ResetAsync(stack.Api, vm, TimeSpan.FromMilliseconds(20));
            await direct.RunOneAsync(vm);
        }
        var (passes, share, took) = await JitWarmUp.RunAsync(() => [.. stack.Services.Select(s => s.Pid)], async () =>
        {
            await direct.ThroughputAsync(vmIds, WarmUpPass, inFlight);
            await SaturationAsync(stack.Api, vmIds, WarmUpPass, inFlight);
        });
        results.Add(new Figure(Section, $"warm-up: passes of {WarmUpPass} resets each way until the JIT thread of every process used under 2 % of a pass ({passes} passes, the last {share * 100:0.0} %)",
            took.TotalSeconds, "s"));

        // light load, one at a time, the two ways taking turns: both see the same machine at the same moments
        var (viaApi, viaBroker) = (new List<double>(samples), new List<double>(samples));
        for (var i = 0; i < samples; i++)
        {
            var vm = vmIds[i % vmIds.Count];
            viaBroker.Add(await direct.RunOneAsync(vm));
            var started = Stopwatch.GetTimestamp();
            await ResetAsync(stack.Api, vm, TimeSpan.FromMilliseconds(5));
            viaApi.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }
        var (p50, directP50) = (Latency.Percentile(viaApi, 50), Latency.Percentile(viaBroker, 50));
        results.Add(new Figure(Section, "password reset published directly, no API: p50 (light load, publish to outcome event)", directP50, "ms", baseline.P50, "broker p50"));
        results.Add(new Figure(Section, "resetPasswordForVirtualMachine p50 (light load, request to job success, polled every 5 ms)", p50, "ms", directP50, "published directly, p50"));
        results.Add(new Figure(Section, "resetPasswordForVirtualMachine p50 over the direct publish's (the API's own cost at light load)", p50 - directP50, "ms", Goal: "<= 5 ms"));
        results.Add(new Figure(Section, "resetPasswordForVirtualMachine p99 (light load)", Latency.Percentile(viaApi, 99), "ms", baseline.P99, "broker p99"));

        // saturation: each way once to warm (a running system is warm: the first rounds also pay for tiered JIT), then measured
        await direct.ThroughputAsync(vmIds, jobs / 2, inFlight);
        var cpu = CpuAccount.Take(stack);
        var directPerSecond = await direct.ThroughputAsync(vmIds, jobs, inFlight);
        cpu.Report(results, Section, "published directly at saturation", jobs);
        results.Add(new Figure(Section, $"password resets published directly, no API, at saturation ({inFlight} in flight over {vmIds.Count} VMs)", directPerSecond, "cmd/s", baseline.PerSecond, "broker two hops"));

        await SaturationAsync(stack.Api, vmIds, jobs / 2, inFlight);
        cpu = CpuAccount.Take(stack);
        var perSecond = await SaturationAsync(stack.Api, vmIds, jobs, inFlight);
        cpu.Report(results, Section, "password reset jobs at saturation", jobs);
        results.Add(new Figure(Section, $"password reset jobs at saturation ({inFlight} in flight over {vmIds.Count} VMs, polled every 50 ms)", perSecond, "jobs/s", directPerSecond, "published directly", Goal: "ratio >= 0.8"));
        results.Add(new Figure(Section, "password reset jobs at saturation, share of the broker's two hops", perSecond, "jobs/s", baseline.PerSecond, "broker two hops"));

        var (accepted, dispatched) = await DispatchAsync(stack.Api, DispatchTargets);
        results.Add(new Figure(Section, $"runAgentRecipe to {DispatchTargets} VMs (one router, maxconcurrency {DispatchTargets}): call answered", accepted, "ms"));
        results.Add(new Figure(Section, $"runAgentRecipe to {DispatchTargets} VMs: call to every target sent (published, confirmed)", dispatched, "ms", Goal: "< 1000 ms"));

        var cutOff = new List<double>();
        for (var i = 0; i < revocations; i++) cutOff.Add(await RevocationAsync(stack, vms[i % vms.Count]));
        results.Add(new Figure("CA", $"revocation to the agent cut off (revokeCertificate to the bridge's Down event, median of {revocations})",
            Latency.Percentile(cutOff, 50), "ms"));
    }

    private const int DispatchTargets = 1000;
    private const int WarmUpPass = 100;

    /// <summary>
    /// A fan-out as the API accepts and dispatches it: runAgentRecipe over every VM behind a router no bridge
    /// serves (its commands land in agents.unroutable, each confirmed), all at once; milliseconds from the call
    /// to its answer, and to queryAsyncJobResult showing no target left Pending (polled every 50 ms). The job
    /// is cancelled afterwards (its targets stay in flight until their delivery timeout, as with a router that is down).
    /// </summary>
    private static async Task<(double Accepted, double Dispatched)> DispatchAsync(CloudStackClient api, int targets)
    {
        var router = $"bench-dispatch-{Guid.NewGuid():N}"[..24];
        await ClusterScale.RegisterAsync([api], router, [.. Enumerable.Range(0, targets).Select(i => $"{router}-vm-{i:D4}")]);
        var started = Stopwatch.GetTimestamp();
        var job = await api.CallAsync("runAgentRecipe", ("routerid", router), ("name", Agents.Demo.Steps.DemoPolicy.AllowedRecipe),
            ("maxconcurrency", targets.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        var accepted = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        var jobId = ResponseValues.Text(job["jobid"]) ?? throw new InvalidOperationException("runAgentRecipe answered without a jobid");
        var deadline = DateTime.UtcNow + JobTimeout;
        while (true)
        {
            var summary = (await api.CallAsync("queryAsyncJobResult", ("jobid", jobId)))["jobresult"]?["agentjob"];
            if (summary?["total"]?.GetValue<int>() == targets && summary["pending"] is null) break;
            if (DateTime.UtcNow > deadline) throw new InvalidOperationException($"the {targets}-target fan-out was not dispatched in {JobTimeout}: {summary?["pending"]} pending");
            await Task.Delay(50);
        }
        var dispatched = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        await api.CallAsync("cancelAsyncJob", ("jobid", jobId));
        return (accepted, dispatched);
    }

    /// <summary>Polls at a fixed interval: the figure is a latency, measured to within that interval.</summary>
    private static async Task ResetAsync(CloudStackClient api, string vmId, TimeSpan poll)
    {
        var done = await api.RunJobAsync("resetPasswordForVirtualMachine", [new("id", vmId)], JobWaitOptions.Every(poll, JobTimeout));
        if (done.Status != AsyncJobStatus.Succeeded) throw new InvalidOperationException($"a password reset failed: {done}");
    }

    private static async Task<double> SaturationAsync(CloudStackClient api, IReadOnlyList<string> vmIds, int jobs, int inFlight)
    {
        using var gate = new SemaphoreSlim(inFlight);
        var started = Stopwatch.GetTimestamp();
        await Task.WhenAll(Enumerable.Range(0, jobs).Select(async i =>
        {
            await gate.WaitAsync();
            try { await ResetAsync(api, vmIds[i % vmIds.Count], TimeSpan.FromMilliseconds(50)); }
            finally { gate.Release(); }
        }));
        return jobs / Stopwatch.GetElapsedTime(started).TotalSeconds;
    }

    /// <summary>Revokes the agent's certificate and times the bridge's Down event for it; the agent then enrolls again.</summary>
    private static async Task<double> RevocationAsync(DemoStack stack, DemoVm vm)
    {
        var factory = new ConnectionFactory { Uri = new Uri(stack.AmqpUri("observer")) };
        await using var connection = await factory.CreateConnectionAsync("bench-revocation");
        await using var channel = await connection.CreateChannelAsync();
        var queue = (await channel.QueueDeclareAsync("", durable: false, exclusive: true, autoDelete: true)).QueueName;
        await channel.QueueBindAsync(queue, Topology.EventsExchange, $"*.ResourceStateEvent.AGENT-STATE.VirtualMachine.{vm.Id}");
        var down = new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously);
        var consumer = new AsyncEventingBasicConsumer(channel);
        consumer.ReceivedAsync += (_, delivery) =>
        {
            if (ResponseValues.Text(JsonNode.Parse(delivery.Body.Span)?["new-state"]) == "Down") down.TrySetResult(Stopwatch.GetTimestamp());
            return Task.CompletedTask;
        };
        await channel.BasicConsumeAsync(queue, autoAck: true, consumer);

        var agents = await stack.Api.CallAsync("listAgents", ("routerid", StackLayout.RouterId));
        var serial = ResponseValues.Text((agents["agent"]?.AsArray() ?? []).First(a => ResponseValues.Text(a?["virtualmachineid"]) == vm.Id)?["certificateserial"]);
        var started = Stopwatch.GetTimestamp();
        await stack.Api.CallAsync("revokeCertificate", ("serial", serial));
        var at = await down.Task.WaitAsync(TimeSpan.FromSeconds(30));
        await stack.RestartAgentAsync(vm, reenroll: true);
        return Stopwatch.GetElapsedTime(started, at).TotalMilliseconds;
    }
}
