using Agents.Producers.Client;
using Agents.Testing;

namespace Agents.IntegrationTests.Deployment;

/// <summary>
/// `docker compose up` on a fresh checkout, without Docker: the same services in the same order with
/// the compose file's own settings and command lines (values pointed at this machine), the init step's
/// script run as compose runs it, and folders standing in for the volumes. It ends with the agent
/// connected, enrolled with nothing but what init left in the shared volume.
/// </summary>
[Collection(BrokerCollection.Name)]
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class ComposeStartupTests(BrokerFixture broker) : IDisposable
{
    private readonly TempDirectory _temp = new();

    [Fact]
    public async Task the_compose_start_up_as_processes_ends_with_the_agent_connected_through_the_init_steps_files_alone()
    {
        var compose = await ComposeFile.LoadAsync();
        var local = new ComposeOnThisMachine(compose, _temp.Path, user => broker.AmqpUri(user));
        var enrollment = local.Value(compose.Environment("init")["ENROLLMENT_DIR"]);

        await using var ca = Start(compose, local, "ca");
        await ca.WaitForReadyAsync(local.Value(compose.Environment("ca")["Ca__PublicUrl"]));
        await using var api = Start(compose, local, "api");
        var apiUrl = local.Value(compose.Environment("init")["AGENTS_API_URL"]);
        await api.WaitForReadyAsync(apiUrl);
        await using var consumers = Start(compose, local, "consumers");
        await consumers.WaitForReadyAsync(local.Value(compose.Environment("consumers")["Health__Url"]));

        var init = await RunInitAsync(compose, local);
        Assert.True(init.ExitCode == 0, $"init: {init.Output}");
        var files = new[] { "router.token", "agent.token", "ca.crt" }.ToDictionary(f => f, f => File.ReadAllText(Path.Combine(enrollment, f)));
        var tokens = new[] { files["router.token"].Trim(), files["agent.token"].Trim() };
        Assert.All(tokens, t => Assert.NotEmpty(t));
        Assert.All(tokens, t => Assert.DoesNotContain(t, init.Output, StringComparison.Ordinal));
        Assert.All(new[] { "router.token", "agent.token" }, f => Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(enrollment, f))));
        Assert.StartsWith("-----BEGIN CERTIFICATE-----", files["ca.crt"], StringComparison.Ordinal);

        // a restart of the stack runs init again: the tokens stay the ones the bridge and the agent were given
        var again = await RunInitAsync(compose, local);
        Assert.True(again.ExitCode == 0, $"init, second run: {again.Output}");
        Assert.Equal(files["router.token"], File.ReadAllText(Path.Combine(enrollment, "router.token")));
        Assert.Equal(files["agent.token"], File.ReadAllText(Path.Combine(enrollment, "agent.token")));
        Assert.Equal(2, again.Stderr.Split('\n').Count(l => l.Contains("exists: no new token made", StringComparison.Ordinal)));

        await using var bridge = Start(compose, local, "bridge");
        await bridge.WaitForReadyAsync(local.Value(compose.Environment("bridge")["Health__Url"]));
        await using var agent = Start(compose, local, "agent");
        var vm = compose.Environment("init")["VM_ID"];
        var router = compose.Environment("init")["ROUTER_ID"];
        using var client = new CloudStackClient(new Uri(apiUrl), new ApiKeys(compose.Environment("init")["AGENTS_API_KEY"], compose.Environment("init")["AGENTS_SECRET_KEY"]));
        await Eventually.TrueAsync(async () =>
        {
            if (agent.HasExited) throw new InvalidOperationException($"the agent exited:\n{agent.Tail()}");
            var agents = await client.CallAsync("listAgents", ("routerid", router));
            return (agents["agent"]?.AsArray() ?? []).Any(a => ResponseValues.Text(a?["virtualmachineid"]) == vm && ResponseValues.Text(a?["state"]) == "Up");
        }, $"the agent of {vm} connected to router {router}", 120);

        foreach (var service in new[] { ca, api, consumers, bridge, agent })
            Assert.All(tokens, t => Assert.DoesNotContain(t, service.Output, StringComparison.Ordinal));
    }

    /// <summary>A service as compose starts it: its program, its command line and environment, its volumes there (empty on a fresh checkout).</summary>
    private static ServiceProcess Start(ComposeFile compose, ComposeOnThisMachine local, string service)
    {
        foreach (var mount in compose.VolumeMounts(service)) Directory.CreateDirectory(local.Path(mount));
        return ServiceProcess.StartDotnet(service, compose.Program(service), local.Arguments(compose.Command(service)),
            new ServiceProcessOptions { Environment = local.Environment(service) });
    }

    /// <summary>The init step: its entrypoint and command (compose's <c>$$</c> unescaped) in the folder of the program its image holds.</summary>
    private static Task<ProcessResult> RunInitAsync(ComposeFile compose, ComposeOnThisMachine local)
    {
        foreach (var mount in compose.VolumeMounts("init")) Directory.CreateDirectory(local.Path(mount));
        var entrypoint = compose.Entrypoint("init");
        Assert.Equal("bash", entrypoint[0]);
        var environment = local.Environment("init");
        var dotnet = ComposeOnThisMachine.Dotnet;
        if (Path.IsPathRooted(dotnet)) environment["PATH"] = Path.GetDirectoryName(dotnet) + ":" + Environment.GetEnvironmentVariable("PATH");
        return ProcessRunner.RunAsync("/bin/bash", [.. entrypoint.Skip(1), .. compose.Command("init").Select(ComposeFile.Unescape)], environment,
            timeout: TimeSpan.FromSeconds(180), workingDirectory: Path.GetDirectoryName(compose.Program("init")));
    }

    public void Dispose() => _temp.Dispose();
}
