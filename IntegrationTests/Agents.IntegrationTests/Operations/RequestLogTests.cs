using System.Text.Json.Nodes;
using Agents.Testing;

namespace Agents.IntegrationTests.Operations;

/// <summary>The CLEF log file of a real service, and its one line per HTTP request.</summary>
[Collection(BrokerCollection.Name)]
public sealed class RequestLogTests(BrokerFixture broker) : IDisposable
{
    private readonly TempDirectory _temp = new();

    [Fact]
    public async Task each_request_is_one_clef_event_with_named_properties_and_without_the_query_string()
    {
        var url = $"http://127.0.0.1:{FreePort.Next()}";
        var logs = _temp.Sub("logs");
        await using var ca = ServiceProcess.StartDotnet("ca", ServiceProcess.DllOf("CaAuthority/Agents.CaAuthority"),
            [$"--RabbitMq:Uri={broker.AmqpUri("ca")}", $"--Ca:DataDirectory={_temp.Sub("ca")}", $"--Ca:HttpUrl={url}", $"--Logging:Directory={logs}"],
            new ServiceProcessOptions { Environment = new Dictionary<string, string> { ["AGENTS_CA_PASSPHRASE"] = "request-log-passphrase" } });
        await ca.WaitForReadyAsync(url);
        using var http = new HttpClient();

        (await http.GetAsync(new Uri($"{url}/ca/certificate?apiKey=not-for-logs"))).EnsureSuccessStatusCode();

        var file = Path.Combine(logs, "ca.log.json");
        JsonObject? request = null;
        await Eventually.TrueAsync(() =>
        {
            request = ReadEvents(file).LastOrDefault(e => (string?)e["RequestPath"] == "/ca/certificate");
            return Task.FromResult(request is not null);
        }, "the request's event in ca.log.json");
        Assert.Equal("HTTP {RequestMethod} {RequestPath} responded {StatusCode} in {Elapsed:0.0} ms", (string?)request!["@mt"]);
        Assert.Equal("GET", (string?)request["RequestMethod"]);
        Assert.Equal(200, (int?)request["StatusCode"]);
        Assert.NotNull(request["@t"]);
        Assert.DoesNotContain("not-for-logs", File.ReadAllText(file), StringComparison.Ordinal);
        // the readiness probes polled above are not logged at the default level
        Assert.DoesNotContain(ReadEvents(file), e => ((string?)e["RequestPath"])?.StartsWith("/health", StringComparison.Ordinal) == true);
    }

    private static List<JsonObject> ReadEvents(string file)
    {
        if (!File.Exists(file)) return [];
        using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd().Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => JsonNode.Parse(line)!.AsObject()).ToList();
    }

    public void Dispose() => _temp.Dispose();
}
