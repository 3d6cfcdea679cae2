using System.Security.Cryptography;
using Agents.Contracts.Events;
using Agents.Producers.Client;
using Agents.ReliabilityTests.Support;
using Agents.Storage;
using Agents.Testing;

namespace Agents.ReliabilityTests;

/// <summary>
/// Fault: one of two API instances on one MariaDB database is killed with SIGKILL while its
/// 200-target fan-out is running, through the real bridge process and 200 agents over mutual TLS.
/// The survivor takes the job over once A's lease runs out (cluster.heartbeat.threshold: A's
/// heartbeat stopped, its mshost row is marked Down, the job's job_executing_msid becomes B's),
/// outcomes reach it as a competing consumer, and it completes the job (the bridge is frozen with SIGSTOP
/// from A's death to B's takeover: otherwise B may finish the fan-out through the outcomes it
/// receives before the lease runs out, and there is nothing left to take over): every target ends in
/// exactly one terminal status. The overdue sweep is set far beyond the test's length: the lease
/// is what hands the job on.
/// </summary>
[Collection(BridgeCollection.Name)]
public sealed class ApiTakeoverTests(BrokerFixture broker)
{
    private const int Targets = 200;

    [Fact]
    public async Task an_api_instance_killed_mid_fan_out_leaves_its_job_to_the_other_which_completes_every_target_once()
    {
        await using var mariadb = new MariaDbNode();
        await mariadb.StartAsync();
        var database = await mariadb.CreateDatabaseAsync("takeover");
        await using var rig = new BridgeRig(broker);
        await rig.Bridge.StartAsync();
        var apiKey = "admin-" + Convert.ToHexString(RandomNumberGenerator.GetBytes(8));
        var secret = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        string[] shared =
        [
            "--Storage:Provider=MySql", $"--Storage:ConnectionString={database}",
            "--Producers:Provisioning:TakeoverAfterSeconds=3600", "--Producers:Provisioning:DeliveryTimeoutSeconds=5", "--Producers:Provisioning:ExecutionTimeoutSeconds=10",
            "--Producers:Cluster:HeartbeatIntervalMilliseconds=500", "--Producers:Cluster:HeartbeatThresholdMilliseconds=3000",
        ];
        var (portA, portB) = (FreePort.Next(), FreePort.Next());
        var (msidA, msidB) = ("api-a-" + Guid.NewGuid().ToString("N")[..6], "api-b-" + Guid.NewGuid().ToString("N")[..6]);
        await using var a = ServicesRig.StartApi(broker, rig.Temp.Sub("api-a"), portA, apiKey, secret, [.. shared, $"--Producers:Cluster:ManagementServerId={msidA}"]);
        await a.WaitForOutputAsync("Consuming producers.outcomes", 90);
        await using var b = ServicesRig.StartApi(broker, rig.Temp.Sub("api-b"), portB, apiKey, secret, [.. shared, $"--Producers:Cluster:ManagementServerId={msidB}"]);
        await b.WaitForOutputAsync("Consuming producers.outcomes", 90);
        using var onA = new CloudStackClient(new Uri($"http://127.0.0.1:{portA}"), new ApiKeys(apiKey, secret));
        using var onB = new CloudStackClient(new Uri($"http://127.0.0.1:{portB}"), new ApiKeys(apiKey, secret));

        await Parallel.ForEachAsync(Enumerable.Range(0, Targets), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (i, _) =>
            await (i % 2 == 0 ? onA : onB).CallAsync("registerVirtualMachine", ("id", AgentFleet.VmId(i)), ("routerid", rig.RouterId)));
        await using var fleet = new AgentFleet(rig.Pki, rig.Temp.Sub("fleet"), rig.Bridge.Port);
        await fleet.GrowToAsync(Targets, TimeSpan.FromMinutes(3));

        // A takes the fan-out (ten at a time) and dies with it under way
        var started = await onA.CallAsync("runAgentRecipe", ("routerid", rig.RouterId), ("name", AgentFleet.Recipe),
            ("maxconcurrency", "10"), ("maxerrors", "0"));
        var jobId = ResponseValues.Text(started["jobid"]);
        var db = Database.MySql(database);
        Assert.Equal(msidA, await db.ScalarAsync("SELECT job_executing_msid FROM jobs WHERE id = @id", ("@id", jobId)));
        // the bridge is frozen while A dies, so no outcome lets the survivor finish the fan-out before A's lease runs out
        // (any instance may drive any job through the outcomes it receives): the job is still running when B takes it over
        await rig.Bridge.Process.Signal("STOP");
        await a.KillAsync();
        try
        {
            await b.WaitForOutputAsync($"Job {jobId} (runAgentRecipe) taken over from management server {msidA} by {msidB}", 60);
        }
        finally
        {
            await rig.Bridge.Process.Signal("CONT");
        }

        var done = await onB.WaitForJobAsync(jobId, new JobWaitOptions { Timeout = TimeSpan.FromMinutes(4) });
        var targets = done.Result!["agentjob"]!["targets"]!.AsArray()
            .Select(t => (Vm: t!["virtualmachineid"]!.GetValue<string>(), Status: t["status"]!.GetValue<string>())).ToList();
        Assert.True(done.Status == AsyncJobStatus.Succeeded, $"job {jobId} ended {done}\n--- survivor ---\n{b.Tail(40)}");
        Assert.Equal(Targets, targets.Count);
        Assert.Equal(Targets, targets.Select(t => t.Vm).Distinct().Count());
        Assert.All(targets, t => Assert.Equal("Success", t.Status));
        // the survivor completed it: its log has the job's end, published once
        Assert.Equal(1, b.CountOf($"Job {jobId} (runAgentRecipe) Succeeded"));
        // handed on through the lease, once: B took it from A, A is Down in mshost, B still beats
        Assert.Equal(1, b.CountOf($"Job {jobId} (runAgentRecipe) taken over from management server {msidA} by {msidB}"));
        Assert.Equal(1, b.CountOf($"Management server {msidA} marked Down"));
        Assert.Equal(msidB, await db.ScalarAsync("SELECT job_executing_msid FROM jobs WHERE id = @id", ("@id", jobId)));
        Assert.Equal(msidA, await db.ScalarAsync("SELECT job_init_msid FROM jobs WHERE id = @id", ("@id", jobId)));
        Assert.Equal("Down", await db.ScalarAsync("SELECT state FROM mshost WHERE msid = @ms", ("@ms", msidA)));
        Assert.Equal("Up", await db.ScalarAsync("SELECT state FROM mshost WHERE msid = @ms", ("@ms", msidB)));
        Assert.Equal(0, await b.StopAsync());
    }
}
