using System.Security.Cryptography;
using Agents.Producers.Client;
using Agents.Testing;

namespace Agents.ReliabilityTests.Support;

/// <summary>
/// The management side as real processes on one private broker: the CA service (ca.requests),
/// the API (producers.outcomes, producers.agents, agents.unroutable; its job store) and the
/// consumers service (MassTransit: the audit log and the alert mailer, SMTP pointed at a closed
/// port). The API reads the consumers' audit log for listEvents, as in a real install.
/// </summary>
public sealed class ServicesRig : IAsyncLifetime
{
    public const string MasterKey = "reliability-master-key-0123456789";
    private readonly string _dir = Directory.CreateTempSubdirectory("reliability-services-").FullName;
    private HttpClient? _http;

    public BrokerFixture Broker { get; } = new();
    public ServiceProcess Ca { get; private set; } = null!;
    public ServiceProcess Api { get; private set; } = null!;
    public ServiceProcess Consumers { get; private set; } = null!;
    public CloudStackClient Admin { get; private set; } = null!;
    public HttpClient Http => _http!;
    public Uri ApiEndpoint { get; private set; } = null!;
    public string AdminApiKey { get; } = "admin-" + Convert.ToHexString(RandomNumberGenerator.GetBytes(16));
    public string AdminSecretKey { get; } = Convert.ToBase64String(RandomNumberGenerator.GetBytes(48));
    public string AuditDatabasePath => Path.Combine(_dir, "consumers", "audit.db");
    public string AuditQueue => "consumers.audit";
    public string AlertQueue => "consumers.alerts";

    public CloudStackClient Client(string apiKey, string secretKey) => new(ApiEndpoint, new ApiKeys(apiKey, secretKey), Http);

    public async Task InitializeAsync()
    {
        await Broker.InitializeAsync();
        Ca = ServiceProcess.StartDotnet("ca", ServiceProcess.DllOf("CaAuthority/Agents.CaAuthority"),
        [
            $"--RabbitMq:Uri={Broker.AmqpUri("ca")}",
            $"--Ca:DataDirectory={Path.Combine(_dir, "ca")}",
            $"--Ca:HttpUrl=http://127.0.0.1:{FreePort.Next()}",
        ], new ServiceProcessOptions { Environment = new Dictionary<string, string> { ["AGENTS_CA_PASSPHRASE"] = "reliability-ca-passphrase" } });
        Consumers = ServiceProcess.StartDotnet("consumers", ServiceProcess.DllOf("Consumers/Agents.Consumers"),
        [
            $"--RabbitMq:Uri={Broker.AmqpUri("consumers")}",
            $"--Consumers:AuditQueue={AuditQueue}",
            $"--Consumers:AlertQueue={AlertQueue}",
            $"--Consumers:AuditDatabasePath={AuditDatabasePath}",
            $"--Consumers:AlertDatabasePath={Path.Combine(_dir, "consumers", "alerts.db")}",
            "--Consumers:RetryLimit=2",
            "--Smtp:Host=127.0.0.1",
            $"--Smtp:Port={FreePort.Next()}",
            "--Smtp:TimeoutSeconds=2",
            "--Alerts:GroupWaitSeconds=0",
        ], new ServiceProcessOptions { Environment = new Dictionary<string, string> { ["DOTNET_ENVIRONMENT"] = "Test" } });
        var apiPort = FreePort.Next();
        Api = StartApi(Broker, Path.Combine(_dir, "api"), apiPort, AdminApiKey, AdminSecretKey,
            $"--Producers:AuditDatabasePath={AuditDatabasePath}", "--Producers:Provisioning:Retries=0", "--Producers:Provisioning:DeliveryTimeoutSeconds=5");
        await Ca.WaitForOutputAsync("Consuming ca.requests", 90);
        await Api.WaitForOutputAsync("Consuming producers.outcomes", 90);
        await Consumers.WaitForOutputAsync($"{AlertQueue} bound to cloudstack-events", 90);
        foreach (var queue in new[] { AuditQueue, AlertQueue }) await WaitForConsumerAsync(queue);
        _http = new HttpClient { Timeout = TimeSpan.FromSeconds(60) };
        ApiEndpoint = CloudStackClient.EndpointOf($"http://127.0.0.1:{apiPort}");
        Admin = Client(AdminApiKey, AdminSecretKey);
    }

    /// <summary>The API service on <paramref name="broker"/> with its job store in <paramref name="directory"/>; <paramref name="settings"/> win.</summary>
    public static ServiceProcess StartApi(BrokerFixture broker, string directory, int port, string adminApiKey, string adminSecretKey, params string[] settings) =>
        ServiceProcess.StartDotnet("api", ServiceProcess.DllOf("Producers/Agents.Producers"),
        [
            $"--RabbitMq:Uri={broker.AmqpUri("producers")}",
            $"--Producers:ListenUrl=http://127.0.0.1:{port}",
            $"--Producers:DatabasePath={Path.Combine(directory, "producers.db")}",
            $"--Producers:Bootstrap:AdminApiKey={adminApiKey}",
            $"--Producers:Bootstrap:AdminSecretKey={adminSecretKey}",
            "--Producers:Provisioning:RetryIntervalSeconds=1",
            .. settings,
        ], new ServiceProcessOptions { Environment = new Dictionary<string, string> { ["Producers__MasterKey"] = MasterKey } });

    /// <summary>Until the broker says someone consumes <paramref name="queue"/> (MassTransit starts its endpoints after the host).</summary>
    public async Task WaitForConsumerAsync(string queue, int seconds = 90)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (true)
        {
            var lines = await Broker.Node.CtlAsync("list_queues", "--quiet", "--no-table-headers", "name", "consumers");
            if (lines.Split('\n').Any(l => l.Split('\t') is [var name, var count] && name == queue && count.Trim() != "0")) return;
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"nobody consumes {queue} after {seconds} s:\n{Consumers.Output}");
            await Task.Delay(250);
        }
    }

    public async Task DisposeAsync()
    {
        _http?.Dispose();
        foreach (var process in new[] { Api, Consumers, Ca })
            if (process is not null) await process.DisposeAsync();
        await Broker.DisposeAsync();
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
