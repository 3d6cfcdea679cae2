using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Agents.Producers.Client;
using Agents.Producers.Tests.Support;
using Agents.Testing;

namespace Agents.Producers.Tests;

/// <summary>
/// Every command listApis shows, called once by an admin with every parameter it declares (a value
/// of the declared type), against its own API process (no CA, no bridge): whatever each answers,
/// none may be the internal error a handler reading an undeclared parameter gets, so every
/// parameter a handler reads on that path is in listApis.
/// </summary>
public sealed class EveryHandlerTests : IAsyncLifetime
{
    private readonly BrokerFixture _broker = new();
    private readonly string _dir = Directory.CreateTempSubdirectory("producers-every-handler-").FullName;
    private readonly string _apiKey = "admin-" + Convert.ToHexString(RandomNumberGenerator.GetBytes(16));
    private readonly string _secret = Convert.ToBase64String(RandomNumberGenerator.GetBytes(48));
    private readonly HttpClient _http = new();
    private ServiceProcess? _api;
    private Uri _endpoint = null!;

    public async Task InitializeAsync()
    {
        await _broker.InitializeAsync();
        var port = FreePort.Next();
        _endpoint = CloudStackClient.EndpointOf($"http://127.0.0.1:{port}");
        _api = ServiceProcess.StartDotnet("api", ServiceProcess.DllOf("Producers/Agents.Producers"),
        [
            $"--RabbitMq:Uri={_broker.AmqpUri("producers")}",
            $"--Producers:ListenUrl=http://127.0.0.1:{port}",
            $"--Producers:DatabasePath={Path.Combine(_dir, "producers.db")}",
            $"--Producers:Bootstrap:AdminApiKey={_apiKey}",
            $"--Producers:Bootstrap:AdminSecretKey={_secret}",
            "--Producers:Provisioning:CaTimeoutSeconds=1",
            "--Producers:Provisioning:DeliveryTimeoutSeconds=1",
            "--Producers:Provisioning:ExecutionTimeoutSeconds=2",
            "--Producers:Provisioning:Retries=0",
        ], new ServiceProcessOptions { Environment = new Dictionary<string, string> { ["Producers__MasterKey"] = World.MasterKey } });
        await _api.WaitForOutputAsync("Consuming producers.outcomes");
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        if (_api is not null) await _api.DisposeAsync();
        await _broker.DisposeAsync();
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { }
    }

    private static IEnumerable<(string, string)> ValueOf(JsonObject parameter)
    {
        var name = ResponseValues.Text(parameter["name"]);
        return ResponseValues.Text(parameter["type"]) switch
        {
            "uuid" => [(name, "vm-every-1")],
            "long" or "integer" => [(name, name is "pagesize" or "page" ? "1" : "60")],
            "boolean" => [(name, "true")],
            "date" => [(name, "2026-01-01")],
            "list" => [(name, "vm-every-1,vm-every-2")],
            "map" => [($"{name}[0].key", "k"), ($"{name}[0].value", "v")],
            _ => [(name, name == "publickey" ? "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIExample every" : "every1")],
        };
    }

    [Fact]
    public async Task every_listed_command_called_with_all_its_declared_parameters_reads_no_undeclared_one()
    {
        using var admin = new CloudStackClient(_endpoint, new ApiKeys(_apiKey, _secret), _http);
        var apis = ResponseValues.Items(await admin.CallAsync("listApis"), "api");
        Assert.True(apis.Count >= 30, $"{apis.Count} apis");
        var answers = new List<string>();
        foreach (var api in apis)
        {
            var command = ResponseValues.Text(api["name"]);
            // a signed form POST with every declared parameter, whatever the command (login included)
            var parameters = new List<(string Name, string Value)> { ("command", command), ("response", "json") };
            parameters.AddRange(ResponseValues.Items(api, "params").SelectMany(ValueOf));
            var answer = await RawApi.PostAsync(_http, _endpoint, RawApi.Signed(_apiKey, _secret, parameters));
            answers.Add($"{command}: {answer.Status} {answer.Text[..Math.Min(140, answer.Text.Length)]}");
            Assert.False(answer.Status == 530 && answer.Text.Contains("Internal error", StringComparison.Ordinal),
                $"{command} failed inside: {answer.Text}\n{_api!.Output}");
        }
        Assert.DoesNotContain("without declaring it", _api!.Output, StringComparison.Ordinal);
        Assert.Equal(apis.Count, answers.Count);
    }
}
