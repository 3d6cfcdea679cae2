using System.Net.Security;
using System.Net.Sockets;
using Agents.Producers.Tests.Support;
using Newtonsoft.Json.Linq;

namespace Agents.Producers.Tests;

/// <summary>Global settings under CloudStack's names: listed, changed with updateConfiguration, recorded as an event and applied by the services that use them, without a restart.</summary>
[Collection(WorldCollection.Name)]
public sealed class SettingsTests(World world)
{
    private const string Strictness = "ca.plugin.root.auth.strictness";

    private async Task<JToken> SettingAsync(string name) =>
        (await world.Admin.OkAsync("listConfigurations", ("name", name)))["configuration"]!.Single(c => c.Value<string>("name") == name);

    /// <summary>A TLS connection to the bridge without a client certificate, as an agent that has none yet makes it.</summary>
    private async Task ConnectWithoutCertificateAsync()
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync("127.0.0.1", world.BridgePort);
        await using var tls = new SslStream(tcp.GetStream());
        try
        {
            await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
            {
                TargetHost = "cloudstack-router",
                RemoteCertificateValidationCallback = (_, _, _, _) => true,
            });
            using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            _ = await tls.ReadAsync(new byte[1], wait.Token); // TLS 1.3: a refused client learns it at its first read
        }
        catch (Exception e) when (e is IOException or System.Security.Authentication.AuthenticationException or OperationCanceledException)
        {
        }
    }

    private async Task<int> StrictnessRefusalsAsync() =>
        (await world.Tap.AllAsync()).Count(m => m.RoutingKey.Contains("AGENT-CONNECTION-REFUSE", StringComparison.Ordinal)
            && m.Body.Contains("strictness", StringComparison.Ordinal));

    [Fact]
    public async Task strictness_changed_with_update_configuration_reaches_the_running_bridge_within_seconds_and_is_recorded()
    {
        var listed = await SettingAsync(Strictness);
        Assert.Equal("Global", listed.Value<string>("scope"));
        Assert.Equal("Boolean", listed.Value<string>("type"));
        Assert.Equal("true", listed.Value<string>("defaultvalue"));
        Assert.True(listed.Value<bool>("isdynamic"));

        var (bad, body) = await world.Admin.CallAsync("updateConfiguration", ("name", Strictness), ("value", "yes"));
        Assert.Equal(431, (int)bad);
        Assert.Contains("'true' or 'false'", body["updateconfigurationresponse"]!.Value<string>("errortext"), StringComparison.Ordinal);
        var (unknown, _) = await world.Admin.CallAsync("updateConfiguration", ("name", "no.such.setting"), ("value", "1"));
        Assert.Equal(431, (int)unknown);

        var before = await StrictnessRefusalsAsync();
        try
        {
            var updated = await world.Admin.OkAsync("updateConfiguration", ("name", Strictness), ("value", "true"));
            Assert.Equal("true", updated["configuration"]!.Value<string>("value"));
            var changed = (await world.Tap.AllAsync()).Where(m => m.RoutingKey.Contains(".ActionEvent.CONFIGURATION-VALUE-EDIT.", StringComparison.Ordinal)).ToList();
            Assert.Contains(changed, m => JObject.Parse(m.Body).Value<string>("name") == Strictness && JObject.Parse(m.Body).Value<string>("value") == "true");

            var deadline = DateTime.UtcNow.AddSeconds(5);
            while (await StrictnessRefusalsAsync() == before)
            {
                Assert.True(DateTime.UtcNow < deadline, "no connection without a certificate was refused for strictness within 5 s of the change\n" + world.Bridge.Output);
                await ConnectWithoutCertificateAsync();
                await Task.Delay(200);
            }
            Assert.Equal("true", (await SettingAsync(Strictness)).Value<string>("value"));
            Assert.Contains("Setting ca.plugin.root.auth.strictness is now true", world.Bridge.Output, StringComparison.Ordinal);
        }
        finally
        {
            await world.Admin.OkAsync("updateConfiguration", ("name", Strictness), ("value", "false"));
        }
        var off = DateTime.UtcNow.AddSeconds(5);
        while (!world.Bridge.Output.Contains("Setting ca.plugin.root.auth.strictness is now false", StringComparison.Ordinal))
        {
            Assert.True(DateTime.UtcNow < off, "strictness did not go back to false on the bridge");
            await Task.Delay(100);
        }
    }

    [Fact]
    public async Task provisioning_retries_changed_with_update_configuration_hold_for_the_next_job()
    {
        Assert.Equal("2", (await SettingAsync("agents.provisioning.retries")).Value<string>("value"));
        try
        {
            await world.Admin.OkAsync("updateConfiguration", ("name", "agents.provisioning.retries"), ("value", "0"));
            // a VM of its own without an agent (the world's ghost VM is another test's)
            await world.Admin.OkAsync("registerVirtualMachine", ("id", "vm-settings-ghost"), ("routerid", World.RouterId), ("account", "settings-owner"));
            var started = await world.Admin.OkAsync("runAgentRecipe", ("virtualmachineid", "vm-settings-ghost"), ("name", World.Recipe),
                ("sha256", World.RecipeSha256), ("script", World.RecipeBase64));
            var done = await world.Admin.WaitForJobAsync(started.Value<string>("jobid")!);
            Assert.Equal(2, done.Value<int>("jobstatus"));
            Assert.Equal(1, done["jobresult"]!["agentjob"]!["targets"]![0]!.Value<int>("attempt"));
        }
        finally
        {
            await world.Admin.OkAsync("updateConfiguration", ("name", "agents.provisioning.retries"), ("value", "2"));
        }
    }
}
