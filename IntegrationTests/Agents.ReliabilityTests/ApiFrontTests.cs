using System.Security.Cryptography;
using Agents.Producers.Client;
using Agents.ReliabilityTests.Support;
using Agents.Testing;
using Xunit.Abstractions;

namespace Agents.ReliabilityTests;

/// <summary>
/// The cluster's one address: two API instances on one MariaDB database behind the front
/// (Front/Agents.Front, real processes). Requests take turns between the instances, a login session
/// made through the front holds on both, the console's files pass unchanged, and with one
/// instance stopped the front keeps answering from the other. An instance killed under a stream
/// of requests costs at most the requests it had in flight: the ones it refuses afterwards go to
/// the other instance at once (passive health and the retry of a request that never reached it).
/// </summary>
[Collection(BridgeCollection.Name)]
public sealed class ApiFrontTests(BrokerFixture broker, ITestOutputHelper output)
{
    private const string Answered = "/client/api responded 200";

    [Fact]
    public async Task requests_alternate_between_two_api_instances_and_the_front_keeps_answering_when_one_stops()
    {
        await using var cluster = await FrontCluster.StartAsync(broker, "--Front:HealthIntervalSeconds=1");
        var (a, b, front, frontUrl, portA, apiKey, secret) = (cluster.A, cluster.B, cluster.Front, cluster.FrontUrl, cluster.PortA, cluster.ApiKey, cluster.Secret);

        // the bootstrap admin gets a password (updateUser) and signs in through the front: one session for both instances
        using var keys = new CloudStackClient(CloudStackClient.EndpointOf(frontUrl), new ApiKeys(apiKey, secret));
        var admin = ResponseValues.Text((await keys.CallAsync("listUsers", ("username", "admin")))["user"]?[0]?["id"]);
        await keys.CallAsync("updateUser", ("id", admin), ("password", "front-test-password"));
        using var session = await CloudStackClient.LoginAsync(CloudStackClient.EndpointOf(frontUrl), "admin", "front-test-password");
        var (beforeA, beforeB) = (a.CountOf(Answered), b.CountOf(Answered));
        for (var i = 0; i < 10; i++)
            await session.CallAsync("registerVirtualMachine", ("id", $"front-vm-{i}"), ("routerid", "front-router"));
        await Eventually.TrueAsync(() => a.CountOf(Answered) - beforeA + b.CountOf(Answered) - beforeB == 10, "ten API answers in the instances' logs");
        Assert.Equal(5, a.CountOf(Answered) - beforeA);
        Assert.Equal(5, b.CountOf(Answered) - beforeB);
        var listed = await session.CallAsync("listVirtualMachines", ("listall", "true"));
        Assert.Equal(10, listed["virtualmachine"]!.AsArray().Count(v => ResponseValues.Text(v?["id"]).StartsWith("front-vm-", StringComparison.Ordinal)));

        // the console's files come through unchanged; its pages keep a browser on one instance (the affinity cookie)
        using var http = new HttpClient(new SocketsHttpHandler { UseCookies = false });
        var direct = await http.GetByteArrayAsync(new Uri($"http://127.0.0.1:{portA}/console/assets/console.css"));
        using var proxied = await http.GetAsync(new Uri(frontUrl + "/console/assets/console.css"));
        Assert.Equal(direct, await proxied.Content.ReadAsByteArrayAsync());
        Assert.Contains(proxied.Headers.GetValues("Set-Cookie"), c => c.StartsWith("agents-front-instance=", StringComparison.Ordinal));

        // A stops: once the front has seen it gone, every request is answered by B
        Assert.Equal(0, await a.StopAsync());
        await Eventually.TrueAsync(async () => await AnswersAsync(session, 4), "the front answering every request with instance A stopped", 30);
        var afterB = b.CountOf(Answered);
        for (var i = 0; i < 6; i++)
            await session.CallAsync("listVirtualMachines", ("id", $"front-vm-{i}"));
        await Eventually.TrueAsync(() => b.CountOf(Answered) - afterB == 6, "six more answers from instance B");
        Assert.False(front.HasExited, front.Tail());
    }

    [Fact]
    public async Task an_instance_killed_under_a_stream_of_requests_costs_at_most_the_requests_in_flight()
    {
        // the active probe far apart: what keeps the front answering is its passive check and retry, not a probe
        await using var cluster = await FrontCluster.StartAsync(broker, "--Front:HealthIntervalSeconds=600");
        var (a, b, front, frontUrl, apiKey, secret) = (cluster.A, cluster.B, cluster.Front, cluster.FrontUrl, cluster.ApiKey, cluster.Secret);

        // callers each with one request at a time: at most that many are in flight when A dies
        const int callers = 4;
        var (answered, failed) = (new int[callers], new int[callers]);
        var errors = new System.Collections.Concurrent.ConcurrentQueue<string>();
        using var stop = new CancellationTokenSource();
        var stream = Enumerable.Range(0, callers).Select(i => Task.Run(async () =>
        {
            using var client = new CloudStackClient(CloudStackClient.EndpointOf(frontUrl), new ApiKeys(apiKey, secret));
            while (!stop.IsCancellationRequested)
            {
                try
                {
                    await client.CallAsync("listVirtualMachines", ("listall", "true"));
                    Interlocked.Increment(ref answered[i]);
                }
                catch (Exception e) when (e is CloudStackApiException or HttpRequestException)
                {
                    Interlocked.Increment(ref failed[i]);
                    errors.Enqueue(e.Message);
                }
            }
        })).ToList();
        await Eventually.TrueAsync(() => answered.All(n => n >= 20) && a.CountOf(Answered) >= 10, "every caller answered 20 times, A among the answerers", 60);

        await a.KillAsync();
        var atKill = answered.Sum();
        var fromB = b.CountOf(Answered);
        await Eventually.TrueAsync(() => answered.Sum() - atKill >= 200, "200 more answers with instance A killed", 120);
        await stop.CancelAsync();
        await Task.WhenAll(stream);

        output.WriteLine($"{atKill} answers before the kill, {answered.Sum() - atKill} after; {failed.Sum()} failed ({string.Join(" | ", errors.Take(4))}); " +
            $"{front.CountOf("sent to another instance")} refused requests sent to B");
        Assert.True(failed.Sum() <= callers, $"{failed.Sum()} requests failed, more than the {callers} in flight: {string.Join(" | ", errors.Take(10))}\n{front.Tail()}");
        Assert.True(b.CountOf(Answered) - fromB >= 200, "B answered what A no longer did");
        Assert.True(front.CountOf("refused a connection: out of the rotation") >= 1, front.Tail());
        Assert.False(front.HasExited, front.Tail());
    }

    /// <summary>Two API processes on one private MariaDB database behind the front.</summary>
    private sealed class FrontCluster : IAsyncDisposable
    {
        private readonly MariaDbNode _mariadb = new();
        private readonly TempDirectory _temp = new();

        public string ApiKey { get; } = "admin-" + Convert.ToHexString(RandomNumberGenerator.GetBytes(8));
        public string Secret { get; } = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        public int PortA { get; } = FreePort.Next();
        public int PortB { get; } = FreePort.Next();
        public string FrontUrl { get; } = $"http://127.0.0.1:{FreePort.Next()}";
        public ServiceProcess A { get; private set; } = null!;
        public ServiceProcess B { get; private set; } = null!;
        public ServiceProcess Front { get; private set; } = null!;

        public static async Task<FrontCluster> StartAsync(BrokerFixture broker, params string[] frontSettings)
        {
            var cluster = new FrontCluster();
            try
            {
                await cluster.BootAsync(broker, frontSettings);
                return cluster;
            }
            catch
            {
                await cluster.DisposeAsync();
                throw;
            }
        }

        private async Task BootAsync(BrokerFixture broker, string[] frontSettings)
        {
            await _mariadb.StartAsync();
            var database = await _mariadb.CreateDatabaseAsync("front");
            string[] shared = ["--Storage:Provider=MySql", $"--Storage:ConnectionString={database}"];
            A = ServicesRig.StartApi(broker, _temp.Sub("api-a"), PortA, ApiKey, Secret, shared);
            await A.WaitForReadyAsync($"http://127.0.0.1:{PortA}");
            B = ServicesRig.StartApi(broker, _temp.Sub("api-b"), PortB, ApiKey, Secret, shared);
            await B.WaitForReadyAsync($"http://127.0.0.1:{PortB}");
            Front = ServiceProcess.StartDotnet("front", ServiceProcess.DllOf("Front/Agents.Front"),
                ["--listen", FrontUrl, "--backend", $"http://127.0.0.1:{PortA}", "--backend", $"http://127.0.0.1:{PortB}", .. frontSettings]);
            await Front.WaitForReadyAsync(FrontUrl);
        }

        public async ValueTask DisposeAsync()
        {
            foreach (var process in new[] { Front, B, A }.Where(p => p is not null)) await process.DisposeAsync();
            await _mariadb.DisposeAsync();
            _temp.Dispose();
        }
    }

    private static async Task<bool> AnswersAsync(CloudStackClient client, int times)
    {
        for (var i = 0; i < times; i++)
        {
            try { await client.CallAsync("listApis", ("name", "listVirtualMachines")); }
            catch (Exception e) when (e is CloudStackApiException or HttpRequestException) { return false; }
        }
        return true;
    }
}
