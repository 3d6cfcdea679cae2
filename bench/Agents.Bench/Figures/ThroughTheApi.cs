using System.Diagnostics;
using System.Text.Json.Nodes;
using Agents.Bench.Report;
using Agents.Contracts;
using Agents.Contracts.Events;
using Agents.Demo.Stack;
using Agents.Producers.Client;
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

        // warm-up: JIT in every process, each agent's first command
        foreach (var vm in vms) await ResetAsync(stack.Api, vm.Id, TimeSpan.FromMilliseconds(20));

        var latencies = new List<double>();
        for (var i = 0; i < samples; i++)
        {
            var started = Stopwatch.GetTimestamp();
            await ResetAsync(stack.Api, vms[i % vms.Count].Id, TimeSpan.FromMilliseconds(5));
            latencies.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }
        results.Add(new Figure(Section, "resetPasswordForVirtualMachine p50 (light load, request to job success)", Latency.Percentile(latencies, 50), "ms", baseline.P50, "broker p50"));
        results.Add(new Figure(Section, "resetPasswordForVirtualMachine p99 (light load)", Latency.Percentile(latencies, 99), "ms", baseline.P99, "broker p99"));

        var perSecond = await SaturationAsync(stack.Api, vms.Select(v => v.Id).ToList(), jobs, inFlight);
        results.Add(new Figure(Section, $"password reset jobs at saturation ({inFlight} in flight over {vms.Count} VMs)", perSecond, "jobs/s", baseline.PerSecond, "broker two hops"));

        var cutOff = new List<double>();
        for (var i = 0; i < revocations; i++) cutOff.Add(await RevocationAsync(stack, vms[i % vms.Count]));
        results.Add(new Figure("CA", $"revocation to the agent cut off (revokeCertificate to the bridge's Down event, median of {revocations})",
            Latency.Percentile(cutOff, 50), "ms"));
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
