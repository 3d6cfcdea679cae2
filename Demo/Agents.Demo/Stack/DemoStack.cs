using System.Security.Cryptography;
using Agents.Producers.Client;
using Agents.Testing;

namespace Agents.Demo.Stack;

/// <summary>
/// The whole system on loopback as real processes: a private RabbitMQ node loaded with
/// broker-config, the CA, the API, the consumers, an SMTP server, one router bridge and three
/// agents in sandbox mode. Services start in dependency order and stop in reverse. A cluster
/// (<see cref="StackLayout.Cluster"/>) adds a private MariaDB holding every store, runs two
/// instances each of the CA, the consumers and the API, and puts the front before the APIs.
/// </summary>
public sealed class DemoStack(StackLayout layout, Action<string> say) : IAsyncDisposable
{
    private readonly List<ServiceProcess> _services = [];
    private readonly Dictionary<string, ServiceProcess> _agents = [];
    private readonly Dictionary<ServiceProcess, string> _urls = [];
    private RabbitMqNode? _broker;
    private MariaDbNode? _database;

    public StackLayout Layout => layout;
    public string ApiKey { get; } = "admin-" + RandomKey(12);
    public string SecretKey { get; } = RandomKey(48);
    public string MasterKey { get; } = RandomKey(32);
    /// <summary>The CA's root key passphrase: one for every CA instance (they share the key).</summary>
    public string CaPassphrase { get; } = "demo-" + RandomKey(16);
    /// <summary>The bootstrap admin's console password, set through updateUser once the API is up.</summary>
    public string AdminPassword { get; } = RandomKey(18);
    public const string AdminUser = "admin";
    public RabbitMqNode Broker => _broker ?? throw new InvalidOperationException("the broker is not started");
    /// <summary>A cluster's MariaDB server, else null.</summary>
    public MariaDbNode? DatabaseServer => _database;
    /// <summary>A cluster's database (every store of every instance), else null: each service keeps its SQLite files.</summary>
    public string? DatabaseConnectionString { get; private set; }
    public CloudStackClient Api { get; private set; } = null!;
    public ServiceProcess Bridge { get; private set; } = null!;
    public ServiceProcess Consumers { get; private set; } = null!;
    public ServiceProcess Ca { get; private set; } = null!;
    public IReadOnlyDictionary<string, ServiceProcess> Agents => _agents;
    public IEnumerable<ServiceProcess> Services => _services;
    /// <summary>The URL a service answers on (its API, its health probes), when it has one.</summary>
    public string? UrlOf(ServiceProcess service) => _urls.GetValueOrDefault(service);

    public async Task StartAsync()
    {
        say($"logs of every service: {layout.LogDirectory}");
        _broker = new RabbitMqNode(new RabbitMqNodeOptions { DataDirectory = layout.DataDirectory("rabbitmq") });
        await _broker.StartAsync();
        say($"broker {_broker.NodeName} on amqp://127.0.0.1:{_broker.Options.AmqpPort}");

        var smtp = Track(ServiceProcess.StartDotnet("smtp", SmtpSink.Dll, SmtpSink.PlainArguments(layout.SmtpPort, layout.MailDirectory),
            new ServiceProcessOptions { LogFile = layout.LogFile("smtp") }));
        await smtp.WaitForPortAsync("127.0.0.1", layout.SmtpPort, Ready.TotalSeconds);

        if (layout.Cluster) await StartDatabaseAsync();

        for (var i = 0; i < layout.Instances; i++)
        {
            // one after the other: the first makes the root key the second then finds in the shared data directory
            var ca = Track(ServiceCommands.StartCa(this, i), layout.CaInstanceUrl(i));
            await ca.WaitForReadyAsync(layout.CaInstanceUrl(i), Ready.TotalSeconds);
            if (i == 0) Ca = ca;
        }
        using (var http = new HttpClient())
            await File.WriteAllTextAsync(layout.CaCertificateFile, await http.GetStringAsync(new Uri(layout.CaUrl + "/ca/certificate")));
        say($"CA on {string.Join(", ", Enumerable.Range(0, layout.Instances).Select(layout.CaInstanceUrl))}; its certificate in {layout.CaCertificateFile}");

        var consumers = Enumerable.Range(0, layout.Instances).Select(i => Track(ServiceCommands.StartConsumers(this, i), layout.ConsumersHealthUrlOf(i))).ToList();
        Consumers = consumers[0];
        for (var i = 0; i < layout.Instances; i++)
        {
            var api = Track(ServiceCommands.StartApi(this, i), layout.ApiInstanceUrl(i));
            await api.WaitForReadyAsync(layout.ApiInstanceUrl(i), Ready.TotalSeconds);
        }
        if (layout.Cluster)
        {
            var front = Track(ServiceCommands.StartFront(this), layout.ApiUrl);
            await front.WaitForReadyAsync(layout.ApiUrl, Ready.TotalSeconds);
            say($"API instances on {string.Join(", ", Enumerable.Range(0, layout.Instances).Select(layout.ApiInstanceUrl))}, behind the front on {layout.ApiUrl}");
        }
        Api = new CloudStackClient(new Uri(layout.ApiUrl), new ApiKeys(ApiKey, SecretKey));
        await WaitForApiAsync();
        await SetAdminPasswordAsync();
        say($"API on {layout.ApiUrl}; console on {layout.ConsoleUrl} (user {AdminUser})");

        foreach (var vm in layout.Vms)
            await Api.CallAsync("registerVirtualMachine", ("id", vm.Id), ("name", vm.Name), ("routerid", StackLayout.RouterId), ("account", "demo"));

        var routerToken = await EnrollmentTokenAsync(("routerid", StackLayout.RouterId));
        Bridge = Track(ServiceCommands.StartBridge(this, routerToken), layout.BridgeHealthUrl);
        await Bridge.WaitForReadyAsync(layout.BridgeHealthUrl, Ready.TotalSeconds);
        for (var i = 0; i < consumers.Count; i++)
            await consumers[i].WaitForReadyAsync(layout.ConsumersHealthUrlOf(i), Ready.TotalSeconds);
        say($"bridge of router {StackLayout.RouterId} on port {layout.BridgePort} (IPv4 and IPv6)");

        foreach (var vm in layout.Vms)
            await StartAgentAsync(vm, await EnrollmentTokenAsync(("virtualmachineid", vm.Id)));
        await WaitForAgentsAsync(layout.Vms.Select(v => v.Id), Ready);
        say("three agents enrolled with one-time tokens and connected over mutual TLS");
    }

    /// <summary>Starts the agent of <paramref name="vm"/>: the demo's policy unless <paramref name="policyFile"/> names another; a system VM's advanced checks in <paramref name="healthChecks"/>.</summary>
    public async Task StartAgentAsync(DemoVm vm, string? token, string? policyFile = null, string? healthChecks = null)
    {
        Directory.CreateDirectory(layout.SandboxRoot(vm.Id));
        _agents[vm.Id] = Track(ServiceCommands.StartAgent(this, vm, token, policyFile, healthChecks));
        await Task.CompletedTask;
    }

    public async Task StopAgentAsync(string vmId)
    {
        if (!_agents.Remove(vmId, out var agent)) return;
        await agent.StopAsync();
        _services.Remove(agent);
        await agent.DisposeAsync();
    }

    /// <summary>Starts the agent of <paramref name="vm"/> again; with <paramref name="reenroll"/> it forgets its identity and enrolls with a new token.</summary>
    public async Task RestartAgentAsync(DemoVm vm, bool reenroll)
    {
        await StopAgentAsync(vm.Id);
        string? token = null;
        if (reenroll)
        {
            var identity = Path.Combine(layout.DataDirectory("agents"), vm.Id);
            foreach (var file in Directory.GetFiles(identity).Where(f => !f.EndsWith("policy.json", StringComparison.Ordinal)))
                File.Delete(file);
            token = await EnrollmentTokenAsync(("virtualmachineid", vm.Id));
        }
        await StartAgentAsync(vm, token);
        await WaitForAgentsAsync([vm.Id], Ready);
    }

    /// <summary>Polls listAgents until every one of <paramref name="vmIds"/> is connected; an agent that exits meanwhile fails it at once.</summary>
    public Task WaitForAgentsAsync(IEnumerable<string> vmIds, TimeSpan timeout)
    {
        var wanted = vmIds.ToHashSet();
        return Eventually.TrueAsync(async () =>
        {
            foreach (var (id, agent) in _agents)
                if (wanted.Contains(id) && agent.HasExited) throw new InvalidOperationException($"the agent of {id} exited; see {agent.LogFile}\n{agent.Tail()}");
            return wanted.IsSubsetOf(await ConnectedAgentsAsync());
        }, $"the agents of {string.Join(", ", wanted)} connected", timeout.TotalSeconds);
    }

    public async Task<HashSet<string>> ConnectedAgentsAsync()
    {
        var list = await Api.CallAsync("listAgents", ("routerid", StackLayout.RouterId));
        return (list["agent"]?.AsArray() ?? [])
            .Where(a => ResponseValues.Text(a?["state"]) == "Up")
            .Select(a => ResponseValues.Text(a?["virtualmachineid"]))
            .ToHashSet();
    }

    public async Task<string> EnrollmentTokenAsync(params (string Key, string Value)[] target)
    {
        var created = await Api.CallAsync("createAgentEnrollmentToken", target);
        return ResponseValues.Text(created["enrollmenttoken"]?["token"]);
    }

    public string AmqpUri(string user) => Broker.AmqpUri(user);

    public async ValueTask DisposeAsync()
    {
        Api?.Dispose();
        for (var i = _services.Count - 1; i >= 0; i--)
        {
            try { await _services[i].DisposeAsync(); }
            catch (Exception e) when (e is InvalidOperationException or IOException) { say($"stopping {_services[i].Name}: {e.Message}"); }
        }
        _services.Clear();
        if (_broker is not null) await _broker.StopAsync();
        if (_database is not null) await _database.StopAsync();
    }

    /// <summary>A cluster's MariaDB (mariadb-server's mariadbd, in the run folder, on its own port) and its one database.</summary>
    private async Task StartDatabaseAsync()
    {
        _database = new MariaDbNode(layout.DataDirectory("mariadb"));
        await _database.StartAsync();
        DatabaseConnectionString = await _database.CreateDatabaseAsync("cloud");
        say($"MariaDB on 127.0.0.1:{_database.Port} (database cloud), its log in {_database.ErrorLog}");
    }

    private async Task WaitForApiAsync()
    {
        var until = DateTime.UtcNow + Ready;
        while (true)
        {
            try
            {
                await Api.CallAsync("listCAProviders");
                return;
            }
            catch (Exception e) when (e is CloudStackApiException or HttpRequestException && DateTime.UtcNow < until)
            {
                await Task.Delay(500);
            }
        }
    }

    /// <summary>The bootstrap admin (keys only) gets a password, as an operator would give it one: updateUser.</summary>
    private async Task SetAdminPasswordAsync()
    {
        var users = await Api.CallAsync("listUsers", ("username", AdminUser));
        var id = ResponseValues.Text(users["user"]?[0]?["id"]);
        await Api.CallAsync("updateUser", ("id", id), ("password", AdminPassword));
    }

    private ServiceProcess Track(ServiceProcess service, string? url = null)
    {
        _services.Add(service);
        if (url is not null) _urls[service] = url.TrimEnd('/');
        return service;
    }

    private static string RandomKey(int bytes) =>
        Convert.ToBase64String(RandomNumberGenerator.GetBytes(bytes)).Replace('+', '-').Replace('/', '_').TrimEnd('=');

    private static readonly TimeSpan Ready = TimeSpan.FromSeconds(90);
    private static readonly IFormatProvider Inv = System.Globalization.CultureInfo.InvariantCulture;
}
