using System.Diagnostics;
using System.Security.Cryptography;
using Agents.Contracts.Commands;
using Agents.Contracts.Events;
using Agents.Producers.Client;
using Agents.ReliabilityTests.Support;
using Agents.Testing;
using Xunit.Abstractions;

namespace Agents.ReliabilityTests;

/// <summary>
/// Load: 10,000 commands in a burst through the whole chain (API fan-out jobs, agents.commands,
/// the real bridge process, 1,000 VmAgent.Core agents over mutual TLS in this process, outcomes
/// on cloudstack-events, the API's job store). Every command ends in exactly one terminal status,
/// counted twice: from the bus (ActionEvents, by job and VM) and from the API's job store
/// (queryAsyncJobResult's targets); the two agree.
/// </summary>
[Collection(BridgeCollection.Name)]
public sealed class LoadTests(BrokerFixture broker, ITestOutputHelper output)
{
    [Fact]
    [Trait("Category", "Slow")]
    public Task ten_thousand_commands_in_a_burst_to_a_thousand_agents_each_end_in_one_terminal_status_on_the_bus_and_in_the_job_store() =>
        RunAsync(agents: 1_000, jobs: 10);

    private async Task RunAsync(int agents, int jobs)
    {
        var clock = Stopwatch.StartNew();
        await using var rig = new BridgeRig(broker);
        await rig.Bridge.StartAsync();
        var apiKey = "admin-" + Convert.ToHexString(RandomNumberGenerator.GetBytes(8));
        var secret = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        var port = FreePort.Next();
        await using var api = ServicesRig.StartApi(broker, rig.Temp.Sub("api"), port, apiKey, secret,
            "--Producers:Provisioning:Retries=0", "--Producers:Provisioning:DeliveryTimeoutSeconds=600", "--Producers:Provisioning:ExecutionTimeoutSeconds=600");
        await api.WaitForOutputAsync("Consuming producers.outcomes", 90);
        using var admin = new CloudStackClient(new Uri($"http://127.0.0.1:{port}"), new ApiKeys(apiKey, secret));
        await using var tap = await EventTap.StartAsync(broker.AmqpUri());

        var vms = Enumerable.Range(0, agents).Select(AgentFleet.VmId).ToList();
        await Parallel.ForEachAsync(vms, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (vm, _) =>
            await admin.CallAsync("registerVirtualMachine", ("id", vm), ("routerid", rig.RouterId)));
        await using var fleet = new AgentFleet(rig.Pki, rig.Temp.Sub("fleet"), rig.Bridge.Port);
        await fleet.GrowToAsync(agents, TimeSpan.FromMinutes(5));
        var ready = clock.Elapsed;
        output.WriteLine($"{agents} VMs registered and {fleet.Connected} agents connected over mutual TLS in {ready.TotalSeconds:0} s");

        // the burst: every job fans out to every agent at once
        var burst = Stopwatch.StartNew();
        var jobIds = await Task.WhenAll(Enumerable.Range(0, jobs).Select(async _ =>
            (await admin.CallAsync("runAgentRecipe", ("routerid", rig.RouterId), ("name", AgentFleet.Recipe), ("maxconcurrency", agents.ToString(System.Globalization.CultureInfo.InvariantCulture))))["jobid"]!.GetValue<string>()));
        var total = agents * jobs;
        var finished = await Eventually.WithinAsync(() => Task.FromResult(tap.Outcomes.Count >= total), 900);
        var busSeconds = burst.Elapsed.TotalSeconds;
        var results = new List<AsyncJob>();
        foreach (var id in jobIds) results.Add(await admin.WaitForJobAsync(id, new JobWaitOptions { Timeout = TimeSpan.FromSeconds(300) }));
        var storeSeconds = burst.Elapsed.TotalSeconds;
        await Task.Delay(TimeSpan.FromSeconds(5)); // a duplicate outcome, if any, would come now

        var outcomes = tap.Outcomes.Where(o => jobIds.Contains(o.JobId.ToString())).ToList();
        var busByTarget = outcomes.GroupBy(o => (Job: o.JobId.ToString(), Vm: o.VmId ?? "")).ToDictionary(g => g.Key, g => g.ToList());
        var storeTargets = results.SelectMany(r => r.Result!["agentjob"]!["targets"]!.AsArray().Select(t =>
            (Job: r.JobId, Vm: t!["virtualmachineid"]!.GetValue<string>(), Status: t["status"]!.GetValue<string>()))).ToList();
        var storeTerminal = storeTargets.Where(t => t.Status is not ("Pending" or "InProgress")).ToList();
        var agree = storeTerminal.All(t => busByTarget.TryGetValue((t.Job, t.Vm), out var seen) && seen.Count == 1
            && seen[0].Outcome.ToString() == t.Status);
        output.WriteLine($"{jobs} fan-out jobs × {agents} VMs = {total} commands; bus: {outcomes.Count} outcomes, {busByTarget.Count} distinct (job, VM), "
            + $"{busByTarget.Count(b => b.Value.Count > 1)} with more than one, {outcomes.Select(o => o.CommandId).Distinct().Count()} distinct command ids, "
            + $"{string.Join(", ", outcomes.GroupBy(o => o.Outcome).Select(g => $"{g.Count()} {g.Key}"))} (all in {busSeconds:0} s after the burst); "
            + $"job store: {storeTargets.Count} targets, {storeTerminal.Count} terminal ({string.Join(", ", storeTargets.GroupBy(t => t.Status).Select(g => $"{g.Count()} {g.Key}"))}), "
            + $"jobs {string.Join(",", results.Select(r => r.Status))}; bus and store agree target by target: {agree}; "
            + $"every job final in the store {storeSeconds:0} s after the burst; bridge {rig.Bridge.ResidentBytes() / 1024 / 1024} MB resident; whole test {clock.Elapsed.TotalSeconds:0} s");

        Assert.True(finished, $"only {tap.Outcomes.Count} of {total} outcomes on the bus within 15 min\n{rig.Bridge.Tail(20)}");
        Assert.Equal(total, outcomes.Count);
        Assert.Equal(total, busByTarget.Count);
        Assert.Equal(total, outcomes.Select(o => o.CommandId).Distinct().Count());
        Assert.Equal(total, storeTerminal.Count);
        Assert.True(agree, "the job store and the bus disagree on some target");
        Assert.All(results, r => Assert.Equal(AsyncJobStatus.Succeeded, r.Status));
        Assert.False(rig.Bridge.HasExited);
    }
}
