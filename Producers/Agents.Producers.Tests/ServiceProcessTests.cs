using Agents.Producers.Tests.Support;
using Agents.Testing;

namespace Agents.Producers.Tests;

[Collection(WorldCollection.Name)]
public sealed class ServiceProcessTests(World world)
{
    private string[] Args(string directory, int port, string masterKey) =>
    [
        $"--RabbitMq:Uri={world.Broker.AmqpUri("producers")}",
        "--RabbitMq:ConnectionName=producers-second",
        $"--Producers:ListenUrl=http://127.0.0.1:{port}",
        $"--Producers:DatabasePath={Path.Combine(directory, "second.db")}",
        $"--Producers:MasterKey={masterKey}",
    ];

    [Fact]
    public async Task the_api_process_starts_from_flags_and_stops_cleanly_on_sigterm()
    {
        var directory = Directory.CreateTempSubdirectory("producers-second-").FullName;
        await using var api = ServiceProcess.StartDotnet("api", ServiceProcess.DllOf("Producers/Agents.Producers"),
            Args(directory, FreePort.Next(), World.MasterKey));
        await api.WaitForOutputAsync("Consuming producers.agents");

        Assert.Equal(0, await api.StopAsync());
        Assert.True(File.Exists(Path.Combine(directory, "second.db")));
        Directory.Delete(directory, recursive: true);
    }

    [Fact]
    public async Task a_wrong_setting_stops_the_service_with_a_message_naming_the_setting()
    {
        var directory = Directory.CreateTempSubdirectory("producers-bad-").FullName;
        await using var api = ServiceProcess.StartDotnet("api", ServiceProcess.DllOf("Producers/Agents.Producers"),
            [.. Args(directory, FreePort.Next(), "short"), "--Producers:Provisioning:Retries=-1"]);

        Assert.NotEqual(0, await api.WaitForExitAsync(30));
        Assert.Contains("Producers:MasterKey", api.Output, StringComparison.Ordinal);
        Assert.Contains("agents.provisioning.retries", api.Output, StringComparison.Ordinal);
        Directory.Delete(directory, recursive: true);
    }
}
