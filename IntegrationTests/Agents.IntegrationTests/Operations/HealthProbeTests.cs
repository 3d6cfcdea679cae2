using System.Net;
using System.Text.Json.Nodes;
using Agents.Testing;

namespace Agents.IntegrationTests.Operations;

/// <summary>/health/live and /health/ready of the four services, as real processes on a private broker.</summary>
[Collection(BrokerCollection.Name)]
public sealed class HealthProbeTests(BrokerFixture broker) : TempPkiTest
{
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(30) };

    [Fact]
    public async Task every_service_is_live_and_ready_with_its_broker_store_and_certificate_checks_named()
    {
        var caUrl = $"http://127.0.0.1:{FreePort.Next()}";
        var apiUrl = $"http://127.0.0.1:{FreePort.Next()}";
        var consumersUrl = $"http://127.0.0.1:{FreePort.Next()}";
        var bridgeUrl = $"http://127.0.0.1:{FreePort.Next()}";
        await using var ca = ServiceProcess.StartDotnet("ca", ServiceProcess.DllOf("CaAuthority/Agents.CaAuthority"),
            [$"--RabbitMq:Uri={broker.AmqpUri("ca")}", $"--Ca:DataDirectory={Temp.Sub("ca")}", $"--Ca:HttpUrl={caUrl}"],
            new ServiceProcessOptions { Environment = new Dictionary<string, string> { ["AGENTS_CA_PASSPHRASE"] = "health-probe-passphrase" } });
        await using var api = ServiceProcess.StartDotnet("api", ServiceProcess.DllOf("Producers/Agents.Producers"),
            [$"--RabbitMq:Uri={broker.AmqpUri("producers")}", $"--Producers:ListenUrl={apiUrl}", $"--Producers:DatabasePath={Temp.Sub("api")}/producers.db"],
            new ServiceProcessOptions { Environment = new Dictionary<string, string> { ["Producers__MasterKey"] = "health-probe-master-key-0123456789" } });
        await using var consumers = ServiceProcess.StartDotnet("consumers", ServiceProcess.DllOf("Consumers/Agents.Consumers"), ConsumersArguments(broker.AmqpUri("consumers"), consumersUrl));
        await using var bridge = new BridgeProcess(Pki, broker.AmqpUri(), Temp.Sub("bridge"), new Dictionary<string, string> { ["Health__Url"] = bridgeUrl });
        await bridge.StartAsync();
        var bridgeProcess = bridge.Process;

        foreach (var (process, url, checks, composeService) in new[]
        {
            (ca, caUrl, new[] { "broker", "store:", "ca-certificate" }, "ca"),
            (api, apiUrl, ["broker", "store:"], "api"),
            (consumers, consumersUrl, ["broker", "store:"], "consumers"),
            (bridgeProcess, bridgeUrl, ["broker", "router-certificate"], "bridge"),
        })
        {
            await process.WaitForReadyAsync(url);
            var (status, ready) = await GetAsync(url + "/health/ready");
            Assert.Equal(HttpStatusCode.OK, status);
            Assert.Equal("Healthy", (string?)ready["status"]);
            var named = ready["checks"]!.AsObject().Select(c => c.Key).ToList();
            foreach (var check in checks)
                Assert.True(named.Any(n => n.StartsWith(check, StringComparison.Ordinal)), $"{process.Name}: no check {check} in {ready.ToJsonString()}");
            Assert.All(ready["checks"]!.AsObject(), c => Assert.Equal("Healthy", (string?)c.Value!["status"]));
            Assert.Equal(HttpStatusCode.OK, (await GetAsync(url + "/health/live")).Status);
            var composeCheck = await ComposeHealthcheckAsync(composeService, new Uri(url).Port);
            Assert.True(composeCheck.ExitCode == 0, $"docker-compose.yml's healthcheck of {composeService} fails against the real {process.Name}: {composeCheck.Output}");
        }
    }

    /// <summary>Runs the healthcheck command docker-compose.yml gives <paramref name="service"/>, aimed at <paramref name="port"/> on this machine.</summary>
    private static async Task<ProcessResult> ComposeHealthcheckAsync(string service, int port)
    {
        const string extract = "import sys, yaml; print(yaml.safe_load(open(sys.argv[1]))['services'][sys.argv[2]]['healthcheck']['test'][3])";
        var command = await ProcessRunner.RunAsync("/usr/bin/python3", ["-c", extract, Path.Combine(RepositoryPaths.Root, "docker-compose.yml"), service]);
        Assert.True(command.ExitCode == 0, command.Output);
        var script = System.Text.RegularExpressions.Regex.Replace(command.Stdout.Trim(), @"/dev/tcp/127\.0\.0\.1/\d+", $"/dev/tcp/127.0.0.1/{port}");
        return await ProcessRunner.RunAsync("/bin/bash", ["-c", script], timeout: TimeSpan.FromSeconds(30));
    }

    [Fact]
    public async Task a_service_whose_broker_is_unreachable_is_live_but_not_ready_and_names_the_broker()
    {
        var url = $"http://127.0.0.1:{FreePort.Next()}";
        var closedBroker = $"amqp://consumers:nope@127.0.0.1:{FreePort.Next()}/";
        await using var consumers = ServiceProcess.StartDotnet("consumers", ServiceProcess.DllOf("Consumers/Agents.Consumers"), ConsumersArguments(closedBroker, url));
        await consumers.WaitForOutputAsync("unreachable");

        await Eventually.TrueAsync(async () => (await GetAsync(url + "/health/live")).Status == HttpStatusCode.OK, "the consumers live");
        var (status, ready) = await GetAsync(url + "/health/ready");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
        Assert.Equal("Unhealthy", (string?)ready["status"]);
        Assert.Equal("Unhealthy", (string?)ready["checks"]!["broker"]!["status"]);
        Assert.DoesNotContain("nope", ready.ToJsonString(), StringComparison.Ordinal); // the broker's password is not shown
    }

    private string[] ConsumersArguments(string amqpUri, string healthUrl) =>
    [
        $"--RabbitMq:Uri={amqpUri}",
        $"--Health:Url={healthUrl}",
        $"--Consumers:AuditQueue=consumers.audit-health-{Guid.NewGuid():N}",
        $"--Consumers:AlertQueue=consumers.alerts-health-{Guid.NewGuid():N}",
        $"--Consumers:AuditDatabasePath={Temp.Sub("consumers-" + Guid.NewGuid().ToString("N")[..6])}/audit.db",
        $"--Consumers:AlertDatabasePath={Temp.Sub("consumers-alerts-" + Guid.NewGuid().ToString("N")[..6])}/alerts.db",
        "--Smtp:Host=127.0.0.1",
        $"--Smtp:Port={FreePort.Next()}",
    ];

    private async Task<(HttpStatusCode Status, JsonNode Body)> GetAsync(string url)
    {
        try
        {
            using var response = await _http.GetAsync(new Uri(url));
            return (response.StatusCode, JsonNode.Parse(await response.Content.ReadAsStringAsync()) ?? new JsonObject());
        }
        catch (HttpRequestException)
        {
            return (0, new JsonObject());
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _http.Dispose();
        }
        base.Dispose(disposing);
    }
}
