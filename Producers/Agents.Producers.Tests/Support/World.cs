using System.Security.Cryptography;
using System.Text;
using Agents.Producers.Client;
using Agents.Security.Identity;
using Agents.Testing;
using Agents.VmAgent.Core.Policy;

namespace Agents.Producers.Tests.Support;

/// <summary>
/// Everything real: a RabbitMQ node loaded with broker-config, the CA's queue served by
/// <see cref="TestCa"/>, the API service and a router bridge each as their own process (with
/// their own broker users), and <see cref="AgentCount"/> agents over mutual TLS behind that
/// bridge. Agents from <see cref="FirstFailing"/> on fail the recipe: half by exit code, half by
/// their local policy. <see cref="GhostVm"/> is registered but has no agent.
/// </summary>
public sealed class World : IAsyncLifetime
{
    public const string RouterId = DevCredentials.RouterId;
    public const int AgentCount = 50;
    public const int FirstFailing = 40;
    public const string GhostVm = "vm-ghost";
    /// <summary>A VM behind a router no bridge serves: its commands land in agents.unroutable.</summary>
    public const string StrayVm = "vm-stray";
    public const string UnservedRouter = "r-unserved";
    public const string Recipe = "hello";
    public const string MasterKey = "test-master-key-0123456789abcdef";
    public static readonly string RecipeScript = "#!/bin/sh\nif [ -e \"$AGENT_SANDBOX_ROOT/fail\" ]; then echo 'failing on purpose' >&2; exit 3; fi\nsleep 0.1\necho \"hello $RECIPE_WHO\"\n";
    public static readonly string RecipeSha256 = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(RecipeScript)));
    public static readonly string RecipeBase64 = Convert.ToBase64String(Encoding.UTF8.GetBytes(RecipeScript));

    private readonly string _dir = Directory.CreateTempSubdirectory("producers-world-").FullName;
    private readonly List<TestAgent> _agents = [];
    private HttpClient? _http;

    public BrokerFixture Broker { get; } = new();
    public TestCa Ca { get; private set; } = null!;
    public BusTap Tap { get; private set; } = null!;
    public ServiceProcess Api { get; private set; } = null!;
    public ServiceProcess Bridge { get; private set; } = null!;
    public CloudStackClient Admin { get; private set; } = null!;
    public string AdminApiKey { get; } = "admin-" + Convert.ToHexString(RandomNumberGenerator.GetBytes(16));
    public string AdminSecretKey { get; } = Convert.ToBase64String(RandomNumberGenerator.GetBytes(48));
    public string ApiUrl { get; private set; } = "";
    public Uri ApiEndpoint => CloudStackClient.EndpointOf(ApiUrl);
    /// <summary>The bridge's TLS port for agents.</summary>
    public int BridgePort { get; private set; }
    public string LogDirectory => Path.Combine(_dir, "logs");
    /// <summary>Where the consumers service would keep its audit log; tests append to it as that service does.</summary>
    public string AuditDatabasePath => Path.Combine(_dir, "audit", "audit.db");
    public IReadOnlyList<TestAgent> Agents => _agents;

    public static string VmId(int i) => $"vm-{i:00}";

    public TestAgent AgentOf(string vmId) => _agents[int.Parse(vmId[3..], System.Globalization.CultureInfo.InvariantCulture)];

    public HttpClient Http => _http!;

    /// <summary>A client with these keys, on the world's one HttpClient.</summary>
    public CloudStackClient Client(string apiKey, string secretKey) => Client(new ApiKeys(apiKey, secretKey));

    public CloudStackClient Client(ApiKeys keys) => new(ApiEndpoint, keys, Http);

    public async Task InitializeAsync()
    {
        await Broker.InitializeAsync();
        Tap = await BusTap.StartAsync(Broker, RouterId);
        Ca = new TestCa(Broker.AmqpUri("ca"));
        Directory.CreateDirectory(LogDirectory);

        var apiPort = FreePort.Next();
        ApiUrl = $"http://127.0.0.1:{apiPort}";
        Api = ServiceProcess.StartDotnet("api", ServiceProcess.DllOf("Producers/Agents.Producers"),
        [
            $"--RabbitMq:Uri={Broker.AmqpUri("producers")}",
            $"--Producers:ListenUrl={ApiUrl}",
            $"--Producers:DatabasePath={Path.Combine(_dir, "api", "producers.db")}",
            $"--Producers:Bootstrap:AdminApiKey={AdminApiKey}",
            $"--Producers:Bootstrap:AdminSecretKey={AdminSecretKey}",
            "--Producers:Provisioning:Retries=2",
            "--Producers:Provisioning:RetryIntervalSeconds=1",
            "--Producers:Provisioning:DeliveryTimeoutSeconds=2",
            "--Producers:Provisioning:ExecutionTimeoutSeconds=30",
            $"--Producers:AuditDatabasePath={AuditDatabasePath}",
            $"--Logging:Directory={LogDirectory}",
        ], new ServiceProcessOptions { Environment = new Dictionary<string, string> { ["Producers__MasterKey"] = MasterKey } });
        await Api.WaitForOutputAsync("Consuming producers.outcomes");
        _http = new HttpClient { BaseAddress = new Uri(ApiUrl), Timeout = TimeSpan.FromSeconds(100) };
        Admin = Client(AdminApiKey, AdminSecretKey);

        var bridgePort = BridgePort = FreePort.Next();
        Bridge = ServiceProcess.StartDotnet("bridge", ServiceProcess.DllOf("RouterBridge/Agents.RouterBridge"),
        [
            $"--RabbitMq:Uri={Broker.AmqpUri("bridge-" + RouterId)}",
            $"--Bridge:RouterId={RouterId}",
            "--Bridge:ListenAddress=127.0.0.1",
            $"--Bridge:ListenPort={bridgePort}",
            $"--Bridge:DataDirectory={Path.Combine(_dir, "bridge")}",
            $"--Bridge:EnrollmentToken={Ca.TokenFor(HolderIdentity.Router(RouterId))}",
            $"--Bridge:SandboxRoot={Path.Combine(_dir, "router-sandbox")}",
            // strictness on (the default): agents without a certificate yet may connect only to enroll with their token;
            // no per-address enrollment limit: the world's 50 agents all dial from 127.0.0.1
            "--Bridge:EnrollmentRateLimit=0",
            "--Bridge:HealthChecks:BasicIntervalMinutes=1",
            $"--Logging:Directory={LogDirectory}",
        ]);
        await Bridge.WaitForOutputAsync($"Consuming agents.router.{RouterId}");

        var caPem = Ca.WriteRootPem(_dir);
        var good = TestPolicies.WithRecipes(new RecipePolicy(Recipe, RecipeSha256));
        for (var i = 0; i < AgentCount; i++)
        {
            var vmId = VmId(i);
            await Admin.CallAsync("registerVirtualMachine", ("id", vmId), ("routerid", RouterId), ("account", i % 2 == 0 ? "alice" : "bob"));
            var home = Directory.CreateDirectory(Path.Combine(_dir, "agents", vmId)).FullName;
            var rejects = i >= FirstFailing && i % 2 == 1;
            var agent = new TestAgent(home, caPem, ["127.0.0.1"], bridgePort, Ca.TokenFor(HolderIdentity.Vm(vmId)), rejects ? TestPolicies.Everything : good);
            if (i >= FirstFailing && !rejects)
            {
                Directory.CreateDirectory(agent.Sandbox.Root);
                await File.WriteAllTextAsync(Path.Combine(agent.Sandbox.Root, "fail"), "");
            }
            _agents.Add(agent);
        }
        await Admin.CallAsync("registerVirtualMachine", ("id", GhostVm), ("routerid", RouterId), ("account", "alice"));
        await Admin.CallAsync("registerVirtualMachine", ("id", StrayVm), ("routerid", UnservedRouter), ("account", "alice"));
        await WaitForAgentsUpAsync();
    }

    private async Task WaitForAgentsUpAsync()
    {
        var up = 0;
        if (!await Eventually.WithinAsync(async () => (up = ResponseValues.Count(await Admin.CallAsync("listAgents", ("routerid", RouterId), ("state", "Up")))) == AgentCount, 90))
            throw new TimeoutException($"{up} of {AgentCount} agents up after 90 s\nbridge:\n{Bridge.Output}");
    }

    /// <summary>Every line the API and the bridge logged (console and JSON files) and the agents' logs.</summary>
    public string AllLogs()
    {
        var text = new StringBuilder();
        text.AppendLine(Api.Output).AppendLine(Bridge.Output);
        foreach (var file in Directory.EnumerateFiles(LogDirectory))
        {
            using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            using var reader = new StreamReader(stream);
            text.AppendLine(reader.ReadToEnd());
        }
        foreach (var agent in _agents) text.AppendLine(agent.Log.All);
        return text.ToString();
    }

    public async Task DisposeAsync()
    {
        _http?.Dispose();
        foreach (var agent in _agents) await agent.DisposeAsync();
        if (Bridge is not null) await Bridge.DisposeAsync();
        if (Api is not null) await Api.DisposeAsync();
        if (Ca is not null) await Ca.DisposeAsync();
        if (Tap is not null) await Tap.DisposeAsync();
        await Broker.DisposeAsync();
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}

[CollectionDefinition(Name)]
public sealed class WorldCollection : ICollectionFixture<World>
{
    public const string Name = "world";
}
