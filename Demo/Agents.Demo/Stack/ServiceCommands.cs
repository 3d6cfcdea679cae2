using System.Globalization;
using Agents.Testing;

namespace Agents.Demo.Stack;

/// <summary>
/// How each service of the stack is started: its Release build and the settings the demo gives
/// it. Settings travel as environment variables (<c>Section__Key</c>) so no secret shows in <c>ps</c>.
/// </summary>
public static class ServiceCommands
{
    /// <summary>CA instance <paramref name="i"/>; a cluster's instances share the root key (one data directory and passphrase) and the inventory.</summary>
    public static ServiceProcess StartCa(DemoStack stack, int i = 0)
    {
        var layout = stack.Layout;
        return Dotnet(layout.InstanceName("ca", i), "CaAuthority/Agents.CaAuthority", stack, new()
        {
            ["RabbitMq__Uri"] = stack.AmqpUri("ca"),
            ["Ca__HttpUrl"] = layout.CaInstanceUrl(i),
            ["Ca__DataDirectory"] = layout.DataDirectory("ca"),
            ["AGENTS_CA_PASSPHRASE"] = stack.CaPassphrase,
            // the expiry scan every 2 s instead of every hour, so a certificate near its end is seen at once
            ["ca__framework__background__task__delay"] = "2",
        }, instanceSetting: "Ca__InstanceName");
    }

    public static ServiceProcess StartApi(DemoStack stack, int i = 0)
    {
        var layout = stack.Layout;
        return Dotnet(layout.InstanceName("api", i), "Producers/Agents.Producers", stack, new()
        {
            ["RabbitMq__Uri"] = stack.AmqpUri("producers"),
            ["Producers__ListenUrl"] = layout.ApiInstanceUrl(i).TrimEnd('/'),
            ["Producers__DatabasePath"] = Path.Combine(layout.DataDirectory("api"), "producers.db"),
            ["Producers__MasterKey"] = stack.MasterKey,
            ["Producers__AuditDatabasePath"] = layout.AuditDatabase,
            ["Producers__Bootstrap__AdminApiKey"] = stack.ApiKey,
            ["Producers__Bootstrap__AdminSecretKey"] = stack.SecretKey,
            // the demo stops an agent and waits for the give-up: a few quick retries, not production's minutes
            ["Producers__Provisioning__Retries"] = "2",
            ["Producers__Provisioning__RetryIntervalSeconds"] = "2",
            ["Producers__Provisioning__DeliveryTimeoutSeconds"] = "5",
            // the catalogue of approved recipes the console offers (listAgentRecipes, first-boot recipes)
            ["Recipes__Catalogue__0__Name"] = Steps.DemoPolicy.AllowedRecipe,
            ["Recipes__Catalogue__0__Description"] = "Monitoring agent (sample): installs and enables the Prometheus node exporter",
            ["Recipes__Catalogue__0__Sha256"] = Steps.DemoPolicy.Sha256(Steps.DemoPolicy.AllowedRecipe),
            ["Recipes__Catalogue__1__Name"] = Steps.DemoPolicy.ForbiddenRecipe,
            ["Recipes__Catalogue__1__Description"] = "Backup client (sample): a tar.gz backup of chosen paths (the demo's agents do not allow it)",
            ["Recipes__Catalogue__1__Sha256"] = Steps.DemoPolicy.Sha256(Steps.DemoPolicy.ForbiddenRecipe),
        });
    }

    public static ServiceProcess StartConsumers(DemoStack stack, int i = 0)
    {
        var layout = stack.Layout;
        return Dotnet(layout.InstanceName("consumers", i), "Consumers/Agents.Consumers", stack, new()
        {
            ["RabbitMq__Uri"] = stack.AmqpUri("consumers"),
            ["Health__Url"] = layout.ConsumersHealthUrlOf(i),
            ["Smtp__Host"] = "127.0.0.1",
            ["Smtp__Port"] = layout.SmtpPort.ToString(CultureInfo.InvariantCulture),
            ["Consumers__AuditDatabasePath"] = layout.AuditDatabase,
            ["Consumers__AlertDatabasePath"] = Path.Combine(layout.DataDirectory("consumers"), "alerts.db"),
            // a demo wants its e-mails within seconds, not after production's 30 s grouping wait
            ["Alerts__GroupWaitSeconds"] = "2",
        }, instanceSetting: "Consumers__InstanceName");
    }

    /// <summary>A cluster's front: the API's one address (<see cref="StackLayout.ApiUrl"/>), round robin over the API instances.</summary>
    public static ServiceProcess StartFront(DemoStack stack)
    {
        var layout = stack.Layout;
        var environment = new Dictionary<string, string> { ["Front__Listen"] = layout.ApiUrl.TrimEnd('/') };
        for (var i = 0; i < layout.Instances; i++) environment[$"Front__Backends__{i}"] = layout.ApiInstanceUrl(i).TrimEnd('/');
        return Dotnet("front", "Front/Agents.Front", stack, environment);
    }

    public static ServiceProcess StartBridge(DemoStack stack, string enrollmentToken)
    {
        var layout = stack.Layout;
        return Dotnet("bridge", "RouterBridge/Agents.RouterBridge", stack, new()
        {
            ["RabbitMq__Uri"] = stack.AmqpUri("bridge-" + StackLayout.RouterId),
            ["Bridge__RouterId"] = StackLayout.RouterId,
            ["Health__Url"] = layout.BridgeHealthUrl,
            ["Bridge__ListenAddress"] = "::",
            ["Bridge__ListenPort"] = layout.BridgePort.ToString(CultureInfo.InvariantCulture),
            ["Bridge__DataDirectory"] = layout.DataDirectory("bridge"),
            ["Bridge__SandboxRoot"] = layout.SandboxRoot("router"),
            // strict (ca.plugin.root.auth.strictness=true, the default): an agent without a certificate yet may connect
            // only to enroll with its one-time token; everything else needs a valid certificate of ours
            ["Bridge__AuthStrictness"] = "true",
            ["Bridge__CrlUrl"] = layout.CaUrl + "/ca/crl",
            ["Bridge__HealthChecks__ScriptsDirectory"] = layout.HealthChecksDirectory,
            ["AGENTS_BRIDGE_TOKEN"] = enrollmentToken,
        });
    }

    public static ServiceProcess StartAgent(DemoStack stack, DemoVm vm, string? enrollmentToken, string? policyFile = null, string? healthChecks = null)
    {
        var layout = stack.Layout;
        var environment = new Dictionary<string, string>
        {
            ["AGENT_ENROLLMENT_TOKEN"] = enrollmentToken ?? "",
        };
        string[] arguments =
        [
            "--router", vm.RouterAddress,
            "--port", layout.BridgePort.ToString(CultureInfo.InvariantCulture),
            "--data-dir", Path.Combine(layout.DataDirectory("agents"), vm.Id),
            "--sandbox-root", layout.SandboxRoot(vm.Id),
            "--ca-file", layout.CaCertificateFile,
            "--policy", policyFile ?? Steps.DemoPolicy.Write(Path.Combine(layout.DataDirectory("agents"), vm.Id)),
            .. healthChecks is null ? Array.Empty<string>() : ["--health-checks", healthChecks],
        ];
        var options = new ServiceProcessOptions { Environment = environment, LogFile = layout.LogFile("agent-" + vm.Name) };
        // AGENT_BINARY (as in the agent's tests): the published agent, e.g. the NativeAOT one from ./run publish-agent
        return Environment.GetEnvironmentVariable("AGENT_BINARY") is { Length: > 0 } binary
            ? ServiceProcess.Start("agent-" + vm.Name, binary, arguments, options)
            : ServiceProcess.StartDotnet("agent-" + vm.Name, ServiceProcess.DllOf("VmAgent/Agents.VmAgent", "agents-vm-agent"), arguments, options);
    }

    /// <param name="instanceSetting">In a cluster, the setting that names this instance (its own settings queue): set to <paramref name="name"/>.</param>
    private static ServiceProcess Dotnet(string name, string project, DemoStack stack, Dictionary<string, string> environment, string? instanceSetting = null)
    {
        if (stack.Layout.Cluster && instanceSetting is not null) environment[instanceSetting] = name;
        // a cluster's instances of one service would share one <service>.log.json: a folder each
        environment["Logging__Directory"] = stack.Layout.Cluster ? Path.Combine(stack.Layout.LogDirectory, name) : stack.Layout.LogDirectory;
        if (stack.DatabaseConnectionString is { } database)
        {
            // every store of every instance in the one MariaDB database
            environment["Storage__Provider"] = "MySql";
            environment["Storage__ConnectionString"] = database;
        }
        return ServiceProcess.StartDotnet(name, ServiceProcess.DllOf(project), [], new ServiceProcessOptions { Environment = environment, LogFile = stack.Layout.LogFile(name) });
    }
}
