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
        };
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        var temp = path + ".tmp";
        File.WriteAllText(temp, JsonSerializer.Serialize(info, new JsonSerializerOptions { WriteIndented = true }));
        File.Move(temp, path, overwrite: true);
        return Path.GetFullPath(path);
    }
}
