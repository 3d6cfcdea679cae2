using System.Net;
using System.Security.Cryptography;
using Agents.Producers.Tests.Support;
using Agents.Testing;
using Newtonsoft.Json.Linq;

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
    private ServiceProcess? _api;
    private HttpClient? _http;

    public async Task InitializeAsync()
    {
        await _broker.InitializeAsync();
        var port = FreePort.Next();
        _api = ServiceProcess.Start(ServiceProcess.DllOf("Producers/Agents.Producers", "Agents.Producers"),
        [
            $"--RabbitMq:Uri={_broker.AmqpUri("producers")}",
            $"--Producers:ListenUrl=http://127.0.0.1:{port}",
            $"--Producers:DatabasePath={Path.Combine(_dir, "producers.db")}",
            $"--Producers:MasterKey={World.MasterKey}",
            $"--Producers:Bootstrap:AdminApiKey={_apiKey}",
            $"--Producers:Bootstrap:AdminSecretKey={_secret}",
            "--Producers:Provisioning:CaTimeoutSeconds=1",
            "--Producers:Provisioning:DeliveryTimeoutSeconds=1",
            "--Producers:Provisioning:ExecutionTimeoutSeconds=2",
            "--Producers:Provisioning:Retries=0",
        ]);
        await _api.WaitForOutputAsync("Consuming producers.outcomes");
        _http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
    }

    public async Task DisposeAsync()
    {
        _http?.Dispose();
        if (_api is not null) await _api.DisposeAsync();
        await _broker.DisposeAsync();
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { }
    }

    private static IEnumerable<(string, string)> ValueOf(JToken parameter)
    {
        var name = parameter.Value<string>("name")!;
        return parameter.Value<string>("type") switch
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
        var admin = new ApiClient(_http!, _apiKey, _secret);
        var apis = (await admin.OkAsync("listApis"))["api"]!.ToList();
        Assert.True(apis.Count >= 30, $"{apis.Count} apis");
        var answers = new List<string>();
        foreach (var api in apis)
        {
            var command = api.Value<string>("name")!;
            var parameters = new List<(string Name, string Value)> { ("command", command), ("response", "json"), ("apiKey", _apiKey) };
            parameters.AddRange(api["params"]!.SelectMany(ValueOf));
            var body = ApiClient.Query(parameters) + "&signature=" + Uri.EscapeDataString(ApiClient.Sign(parameters, _secret));
            using var response = await _http!.PostAsync("/client/api", new StringContent(body, System.Text.Encoding.UTF8, "application/x-www-form-urlencoded"));
            var text = await response.Content.ReadAsStringAsync();
            answers.Add($"{command}: {(int)response.StatusCode} {text[..Math.Min(140, text.Length)]}");
            Assert.False(response.StatusCode == HttpStatusCode.InternalServerError + 30 && text.Contains("Internal error", StringComparison.Ordinal),
                $"{command} failed inside: {text}\n{_api!.Output}");
        }
        Assert.DoesNotContain("without declaring it", _api!.Output, StringComparison.Ordinal);
        Assert.Equal(apis.Count, answers.Count);
    }
}
