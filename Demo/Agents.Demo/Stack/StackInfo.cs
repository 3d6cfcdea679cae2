using System.Text.Json;

namespace Agents.Demo.Stack;

/// <summary>.run/stack.json: what a person or a script needs to use a running stack.</summary>
public static class StackInfo
{
    public static string Write(DemoStack stack, string path)
    {
        var layout = stack.Layout;
        var info = new
        {
            pid = Environment.ProcessId,
            apiUrl = layout.ApiUrl,
            consoleUrl = layout.ConsoleUrl,
            adminUser = DemoStack.AdminUser,
            adminPassword = stack.AdminPassword,
            apiKey = stack.ApiKey,
            secretKey = stack.SecretKey,
            amqpUrl = stack.AmqpUri("observer"),
            caUrl = layout.CaUrl,
            // each service's /health/live and /health/ready
            health = new { api = layout.ApiUrl.TrimEnd('/'), ca = layout.CaUrl, consumers = layout.ConsumersHealthUrl, bridge = layout.BridgeHealthUrl },
            mailDir = layout.MailDirectory,
            logDir = layout.LogDirectory,
            routers = new[] { new { id = StackLayout.RouterId, port = layout.BridgePort } },
            vms = layout.Vms.Select(vm => new { id = vm.Id, name = vm.Name, routerId = StackLayout.RouterId, sandboxRoot = layout.SandboxRoot(vm.Id) }),
            cluster = layout.Cluster,
            // a cluster's database: every store of every instance (./run up alone: each service's SQLite files under data/)
            database = stack.DatabaseServer is { } server
                ? new { url = $"mysql://127.0.0.1:{server.Port}/cloud", connectionString = stack.DatabaseConnectionString }
                : null,
            // every process of the stack: its name (api-1, api-2, front ... in a cluster), URL, pid and log
            instances = Instances(stack),
        };
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        var temp = path + ".tmp";
        File.WriteAllText(temp, JsonSerializer.Serialize(info, new JsonSerializerOptions { WriteIndented = true }));
        File.Move(temp, path, overwrite: true);
        return Path.GetFullPath(path);
    }

    private static List<object> Instances(DemoStack stack)
    {
        var instances = new List<object> { Instance("rabbitmq", stack.AmqpUri("observer"), null, stack.Broker.DataDirectory) };
        if (stack.DatabaseServer is { } database)
            instances.Add(Instance("mariadb", $"mysql://127.0.0.1:{database.Port}/cloud", database.Pid, database.ErrorLog));
        instances.AddRange(stack.Services.Select(s => Instance(s.Name, stack.UrlOf(s), s.HasExited ? null : s.Pid, s.LogFile)));
        return instances;
    }

    private static object Instance(string name, string? url, int? pid, string? log) => new { name, url, pid, log };
}
