using System.Security.Authentication;
using System.Text.Json.Nodes;
using Agents.Contracts.Events;
using Agents.Producers.Client;
using Agents.Producers.Tests.Support;
using Agents.Testing;

namespace Agents.Producers.Tests;

/// <summary>Global settings under CloudStack's names: listed, changed with updateConfiguration, recorded as an event and applied by the services that use them, without a restart.</summary>
[Collection(WorldCollection.Name)]
public sealed class SettingsTests(World world)
{
    private const string Strictness = "ca.plugin.root.auth.strictness";

    private async Task<JsonObject> SettingAsync(string name) =>
        ResponseValues.Items(await world.Admin.CallAsync("listConfigurations", ("name", name)), "configuration").Single(c => ResponseValues.Text(c["name"]) == name);

    /// <summary>A TLS connection to the bridge without a client certificate, as an agent that has none yet makes it.</summary>
    private async Task ConnectWithoutCertificateAsync()
    {
        try
        {
            await using var tls = await RawTls.ConnectAsync(world.BridgePort, clientCertificate: null);
            // it sends nothing and closes: under strictness the bridge reports that as a refusal (no enrollment)
            using var wait = new CancellationTokenSource(TimeSpan.FromMilliseconds(500));
            _ = await tls.ReadAsync(new byte[1], wait.Token);
        }
        catch (Exception e) when (e is IOException or AuthenticationException or OperationCanceledException)
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
        Assert.Equal(("Global", "Boolean", "true", "true"),
            (ResponseValues.Text(listed["scope"]), ResponseValues.Text(listed["type"]), ResponseValues.Text(listed["defaultvalue"]), ResponseValues.Text(listed["isdynamic"])));

        var bad = await ApiAssert.RefusedAsync(431, () => world.Admin.CallAsync("updateConfiguration", ("name", Strictness), ("value", "yes")));
        Assert.Contains("'true' or 'false'", bad.ErrorText, StringComparison.Ordinal);
        await ApiAssert.RefusedAsync(431, () => world.Admin.CallAsync("updateConfiguration", ("name", "no.such.setting"), ("value", "1")));

        // the world runs strict (the default): off first, then on again is the change measured
        await world.Admin.CallAsync("updateConfiguration", ("name", Strictness), ("value", "false"));
        await world.Bridge.WaitForOutputAsync("Setting ca.plugin.root.auth.strictness is now false", seconds: 5);
        var before = await StrictnessRefusalsAsync();
        try
        {
            var updated = await world.Admin.CallAsync("updateConfiguration", ("name", Strictness), ("value", "true"));
            Assert.Equal("true", ResponseValues.Text(updated["configuration"]!["value"]));
            var changed = (await world.Tap.AllAsync()).Where(m => m.RoutingKey.Contains(".ActionEvent.CONFIGURATION-VALUE-EDIT.", StringComparison.Ordinal))
                .Select(m => JsonNode.Parse(m.Body)!).ToList();
            Assert.Contains(changed, e => ResponseValues.Text(e["name"]) == Strictness && ResponseValues.Text(e["value"]) == "true");

            // each try is a fresh connection: the first after the bridge applied the change is refused for strictness
            var refused = await Eventually.WithinAsync(async () =>
            {
                await ConnectWithoutCertificateAsync();
                return await StrictnessRefusalsAsync() > before;
            }, seconds: 5);
            Assert.True(refused, "no connection without a certificate was refused for strictness within 5 s of the change\n" + world.Bridge.Output);
            Assert.Equal("true", ResponseValues.Text((await SettingAsync(Strictness))["value"]));
            Assert.Contains("Setting ca.plugin.root.auth.strictness is now true", world.Bridge.Output, StringComparison.Ordinal);
        }
        finally
        {
            await world.Admin.CallAsync("updateConfiguration", ("name", Strictness), ("value", "true"));
        }
    }

    [Fact]
    public async Task provisioning_retries_changed_with_update_configuration_hold_for_the_next_job()
    {
        Assert.Equal("2", ResponseValues.Text((await SettingAsync("agents.provisioning.retries"))["value"]));
        try
        {
            await world.Admin.CallAsync("updateConfiguration", ("name", "agents.provisioning.retries"), ("value", "0"));
            // a VM of its own without an agent (the world's ghost VM is another test's)
            await world.Admin.CallAsync("registerVirtualMachine", ("id", "vm-settings-ghost"), ("routerid", World.RouterId), ("account", "settings-owner"));
            var done = await world.Admin.RunJobAsync("runAgentRecipe", ("virtualmachineid", "vm-settings-ghost"), ("name", World.Recipe),
                ("sha256", World.RecipeSha256), ("script", World.RecipeBase64));
            Assert.Equal(AsyncJobStatus.Failed, done.Status);
            Assert.Equal(1, ResponseValues.Int(done.Result!["agentjob"]!["targets"]![0]!["attempt"]));
        }
        finally
        {
            await world.Admin.CallAsync("updateConfiguration", ("name", "agents.provisioning.retries"), ("value", "2"));
        }
    }
}
