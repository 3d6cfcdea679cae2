using Agents.CaAuthority.Store;
using Agents.Messaging.Rpc;
using Agents.Testing;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Agents.Messaging;

namespace Agents.CaAuthority.Tests.Support;

[CollectionDefinition(Name)]
public sealed class CaCollection : ICollectionFixture<CaFixture>
{
    public const string Name = "ca";
}

/// <summary>
/// One private broker node and one CA (in process, as the service wires itself, with the broker
/// user <c>ca</c>) shared by the collection; callers ask it over <c>ca.requests</c> as the API and
/// the bridges do.
/// </summary>
public sealed class CaFixture : IAsyncLifetime
{
    public const string PassphraseVariable = "AGENTS_CA_TEST_PASSPHRASE";

    /// <summary>The router of broker-config's one bridge user, and that user.</summary>
    public const string BridgeRouterId = "f3a1c2d4-5b6e-4f70-8a9b-0c1d2e3f4a5b";
    public const string BridgeUser = "bridge-" + BridgeRouterId;

    public BrokerFixture Broker { get; } = new();
    public string DataDirectory { get; } = Path.Combine(Path.GetTempPath(), "agents-ca-test-" + Guid.NewGuid().ToString("N")[..8]);
    public int HttpPort { get; } = FreePort.Next();
    public string BaseUrl => $"http://127.0.0.1:{HttpPort}";
    public WebApplication Ca { get; private set; } = null!;
    public ICaStore Store => Ca.Services.GetRequiredService<ICaStore>();
    public HttpClient Http { get; } = new();

    private readonly List<IAsyncDisposable> _clients = [];

    public async Task InitializeAsync()
    {
        await Broker.InitializeAsync();
        Environment.SetEnvironmentVariable(PassphraseVariable, "test passphrase, not a secret");
        Ca = CaHost.Build(Arguments(Broker, DataDirectory, HttpPort, "--ca.framework.background.task.delay=3600"));
        await Ca.StartAsync();
    }

    /// <summary>The flags the service is started with (the demo passes the same).</summary>
    public static string[] Arguments(BrokerFixture broker, string dataDirectory, int httpPort, params string[] more) =>
    [
        $"--RabbitMq:Uri={broker.AmqpUri("ca")}",
        "--RabbitMq:ConnectionName=ca-test",
        $"--Ca:DataDirectory={dataDirectory}",
        $"--Ca:HttpUrl=http://127.0.0.1:{httpPort}",
        $"--Ca:PassphraseEnvironmentVariable={PassphraseVariable}",
        "--Serilog:MinimumLevel:Default=Warning",
        .. more,
    ];

    /// <summary>The CA as the demo starts it: <c>dotnet Agents.CaAuthority.dll</c> with <see cref="Arguments"/>, a process of its own, its passphrase in <see cref="PassphraseVariable"/>.</summary>
    public static ServiceProcess StartProcess(IEnumerable<string> arguments, string passphrase, IReadOnlyDictionary<string, string>? environment = null) =>
        ServiceProcess.StartDotnet("ca", ServiceProcess.DllOf("CaAuthority/Agents.CaAuthority"), arguments, new ServiceProcessOptions
        {
            Environment = new Dictionary<string, string>(environment ?? new Dictionary<string, string>()) { [PassphraseVariable] = passphrase },
        });

    /// <summary>An RPC client connected as one of broker-config's users (producers: the API; a bridge user: enrollment relay).</summary>
    public IRequestClient Client(string user = "producers") => TestRpc.Connect(Broker.AmqpUri(user), $"test-{user}", _clients);

    public async Task DisposeAsync()
    {
        foreach (var client in _clients) await client.DisposeAsync();
        Http.Dispose();
        if (Ca is not null)
        {
            await Ca.StopAsync();
            await Ca.DisposeAsync();
        }
        await Broker.DisposeAsync();
        try { Directory.Delete(DataDirectory, recursive: true); } catch (IOException) { }
    }
}
