using Agents.Testing;

namespace Agents.Demo.Stack;

/// <summary>Where everything of one stack lives: ids, loopback ports, folders. Nothing is shared with another run.</summary>
public sealed record StackLayout
{
    /// <summary>The router broker-config/definitions.json ships a bridge user and a queue for.</summary>
    public const string RouterId = DevCredentials.RouterId;

    public required string RunDirectory { get; init; }

    /// <summary>./run up --cluster: a private MariaDB, two instances each of the API, the CA and the consumers, the API's front on <see cref="ApiUrl"/>.</summary>
    public bool Cluster { get; init; }

    /// <summary>How many instances of the API, the CA and the consumers run: two in a cluster.</summary>
    public int Instances => Cluster ? 2 : 1;
    public string LogDirectory => Path.Combine(RunDirectory, "logs");
    public string LogFile(string service) => Path.Combine(LogDirectory, service + ".log");
    public string MailDirectory => Path.Combine(RunDirectory, "mail");
    public string DataDirectory(string service) => Path.Combine(RunDirectory, "data", service);
    /// <summary>The consumers write the audit log here; the API's listEvents reads it.</summary>
    public string AuditDatabase => Path.Combine(DataDirectory("consumers"), "audit.db");
    /// <summary>The CA's certificate as its HTTP endpoint serves it: the agents' only trust anchor.</summary>
    public string CaCertificateFile => Path.Combine(RunDirectory, "ca.crt");
    public string SandboxRoot(string vmId) => Path.Combine(RunDirectory, "sandbox", vmId);

    public int CaHttpPort { get; } = FreePort.Next();
    public int ApiPort { get; } = FreePort.Next();
    public int SmtpPort { get; } = FreePort.Next();
    public int BridgePort { get; } = FreePort.Next();
    /// <summary>The health probes of the services without an HTTP listener of their own (Health:Url).</summary>
    public int ConsumersHealthPort { get; } = FreePort.Next();
    public int BridgeHealthPort { get; } = FreePort.Next();
    /// <summary>A cluster's second CA, second consumers, and its two API instances behind the front (which answers on <see cref="ApiPort"/>).</summary>
    public int SecondCaHttpPort { get; } = FreePort.Next();
    public int SecondConsumersHealthPort { get; } = FreePort.Next();
    public IReadOnlyList<int> ApiInstancePorts { get; } = [FreePort.Next(), FreePort.Next()];

    /// <summary>The URL of API instance <paramref name="i"/> (0-based): behind the front in a cluster, else the API itself.</summary>
    public string ApiInstanceUrl(int i) => Cluster ? $"http://127.0.0.1:{ApiInstancePorts[i]}/" : ApiUrl;
    public string CaInstanceUrl(int i) => i == 0 ? CaUrl : $"http://127.0.0.1:{SecondCaHttpPort}";
    public string ConsumersHealthUrlOf(int i) => i == 0 ? ConsumersHealthUrl : $"http://127.0.0.1:{SecondConsumersHealthPort}";

    /// <summary>A service's process name: "api" alone, "api-1" and "api-2" in a cluster.</summary>
    public string InstanceName(string service, int i) => Cluster ? $"{service}-{i + 1}" : service;
    public string ConsumersHealthUrl => $"http://127.0.0.1:{ConsumersHealthPort}";
    public string BridgeHealthUrl => $"http://127.0.0.1:{BridgeHealthPort}";

    public string ApiUrl => $"http://127.0.0.1:{ApiPort}/";
    /// <summary>The operator console, served by the API.</summary>
    public string ConsoleUrl => ApiUrl + "console/";
    /// <summary>The router's advanced health checks: every executable here is one (empty: basic checks only).</summary>
    public string HealthChecksDirectory => Path.Combine(RunDirectory, "health-checks");
    public string CaUrl => $"http://127.0.0.1:{CaHttpPort}";

    /// <summary>Three user VMs behind the router; the last one reaches its router over IPv6.</summary>
    public IReadOnlyList<DemoVm> Vms { get; } =
    [
        new("0b6a1c3e-1111-4a4a-9c9c-000000000001", "web-1", "127.0.0.1"),
        new("0b6a1c3e-2222-4a4a-9c9c-000000000002", "db-1", "127.0.0.1"),
        new("0b6a1c3e-3333-4a4a-9c9c-000000000003", "v6-1", "::1"),
    ];

    public static StackLayout Create(string runDirectory, bool cluster = false)
    {
        var layout = new StackLayout { RunDirectory = Path.GetFullPath(runDirectory), Cluster = cluster };
        string[] services = ["ca", "api", "consumers", "bridge", "agents"];
        foreach (var dir in services.Select(layout.DataDirectory).Append(layout.LogDirectory).Append(layout.MailDirectory).Append(layout.HealthChecksDirectory))
            Directory.CreateDirectory(dir);
        return layout;
    }
}

/// <summary>A user VM of the demo: its uuid, name, and the address its agent dials the router on.</summary>
public sealed record DemoVm(string Id, string Name, string RouterAddress);
