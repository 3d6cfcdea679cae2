using System.Collections.Concurrent;
using Agents.Producers.Client;
using Agents.Producers.Tests.Support;
using Agents.Testing;

namespace Agents.Producers.Tests.Storage;

/// <summary>
/// The API on MariaDB while its database server is stopped and started again under load: a real
/// private mariadbd (its own, as this test stops it), the API as its own process, real broker.
/// </summary>
public sealed class DatabaseRestartTests(BrokerFixture broker) : IClassFixture<BrokerFixture>
{
    private const string AdminApiKey = "dbrestart-admin-api-key-0123456789";
    private const string AdminSecretKey = "dbrestart-admin-secret-key-0123456789";
    private const int Workers = 4;

    [Fact]
    public async Task requests_while_the_database_is_down_get_cloudstacks_530_and_every_accepted_one_is_kept_after_it_is_back()
    {
        await using var mariadb = new MariaDbNode();
        await mariadb.StartAsync();
        var connectionString = await mariadb.CreateDatabaseAsync("api_restart");
        var directory = Directory.CreateTempSubdirectory("producers-dbrestart-").FullName;
        var port = FreePort.Next();
        await using var api = ServiceProcess.StartDotnet("api", ServiceProcess.DllOf("Producers/Agents.Producers"),
        [
            $"--RabbitMq:Uri={broker.AmqpUri("producers")}", "--RabbitMq:ConnectionName=producers-dbrestart",
            $"--Producers:ListenUrl=http://127.0.0.1:{port}", $"--Producers:DatabasePath={Path.Combine(directory, "producers.db")}",
            $"--Producers:Bootstrap:AdminApiKey={AdminApiKey}", $"--Producers:Bootstrap:AdminSecretKey={AdminSecretKey}",
            "--Storage:Provider=MySql",
        ], new ServiceProcessOptions { Environment = new Dictionary<string, string> { ["Producers__MasterKey"] = World.MasterKey, ["Storage__ConnectionString"] = connectionString } });
        await api.WaitForOutputAsync("Consuming producers.agents");
        using var admin = new CloudStackClient(new Uri($"http://127.0.0.1:{port}"), new ApiKeys(AdminApiKey, AdminSecretKey));

        var accepted = new ConcurrentBag<string>();
        var refused = new ConcurrentBag<CloudStackApiException>();
        var unexpected = new ConcurrentBag<Exception>();
        using var stop = new CancellationTokenSource();
        async Task LoadAsync(int worker)
        {
            for (var i = 0; !stop.IsCancellationRequested; i++)
            {
                var id = Guid.NewGuid().ToString();
                try
                {
                    await admin.CallAsync("registerVirtualMachine", ("id", id), ("routerid", World.RouterId), ("account", "admin"), ("name", $"load-{worker}-{i}"));
                    accepted.Add(id);
                }
                catch (CloudStackApiException e)
                {
                    refused.Add(e);
                    await Task.Delay(20);
                }
                catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
                {
                    unexpected.Add(e);
                    await Task.Delay(20);
                }
            }
        }
        var load = Enumerable.Range(0, Workers).Select(w => Task.Run(() => LoadAsync(w))).ToArray();

        await Eventually.TrueAsync(() => Task.FromResult(accepted.Count >= 40), "40 VMs registered before the database stops");
        await mariadb.StopServerAsync();
        var acceptedBeforeOutage = accepted.Count;
        await Eventually.TrueAsync(() => Task.FromResult(refused.Count >= 20), "20 requests refused while the database is down");
        using (var http = new HttpClient())
        {
            using var ready = await http.GetAsync(new Uri($"http://127.0.0.1:{port}/health/ready"));
            Assert.Equal(System.Net.HttpStatusCode.ServiceUnavailable, ready.StatusCode);
        }
        await mariadb.StartAgainAsync();
        var acceptedAtRestart = accepted.Count;
        await Eventually.TrueAsync(() => Task.FromResult(accepted.Count >= acceptedAtRestart + 40), "40 more VMs registered after the database is back", 120);
        using (var http = new HttpClient())
            await Eventually.TrueAsync(async () => (await http.GetAsync(new Uri($"http://127.0.0.1:{port}/health/ready"))).IsSuccessStatusCode, "ready again");
        await stop.CancelAsync();
        await Task.WhenAll(load);

        Assert.Empty(unexpected);
        // every refusal CloudStack's: 530 as HTTP status and errorcode, CloudRuntimeException's 4250, a sentence an operator understands
        var internalErrors = string.Join("\n", api.Output.Split('\n').SkipWhile(l => !l.Contains(" failed", StringComparison.Ordinal)).Take(30));
        Assert.All(refused, e =>
        {
            Assert.Equal((530, 530), (e.HttpStatus, e.ErrorCode));
            Assert.Equal("registervirtualmachineresponse", e.ResponseName);
            Assert.True(ResponseValues.Int(e.Response!["cserrorcode"]) == 4250, $"cserrorcode {e.Response!["cserrorcode"]}: {e.ErrorText}\nthe API logged:\n{internalErrors}");
            Assert.Contains("database is unavailable", e.ErrorText, StringComparison.Ordinal);
        });
        Assert.True(acceptedBeforeOutage >= 40, $"{acceptedBeforeOutage} accepted before the outage");

        // nothing accepted is lost: every VM whose registration answered 200 is listed
        var listed = await admin.CallAsync("listVirtualMachines", ("listall", "true"), ("pagesize", "-1"));
        var ids = ResponseValues.Items(listed, "virtualmachine").Select(v => ResponseValues.Text(v["id"])).ToHashSet(StringComparer.Ordinal);
        var lost = accepted.Where(id => !ids.Contains(id)).ToList();
        Assert.True(lost.Count == 0, $"{lost.Count} of {accepted.Count} accepted registrations missing: {string.Join(", ", lost.Take(5))}");
        Assert.Contains("the database is unavailable", api.Output, StringComparison.Ordinal);
        Assert.DoesNotContain(MariaDbNode.Password, api.Output, StringComparison.Ordinal);
        Assert.Equal(0, await api.StopAsync());
        Directory.Delete(directory, recursive: true);
    }
}
