using Agents.Demo.Steps;
using Agents.Producers.Client;

namespace Agents.IntegrationTests.EndToEnd;

/// <summary>
/// Secondary storage and console proxy VMs on the whole stack as separate processes: their agents
/// run in privileged sandbox mode and connect to the bridge like any agent; everything goes through
/// the signed API, as ./run demo shows it.
/// </summary>
[Collection(StackCollection.Name)]
public sealed class SystemVmTests(StackFixture fixture)
{
    private CloudStackClient Api => fixture.Stack.Api;

    [Fact]
    public async Task a_secondary_storage_vm_and_a_console_proxy_vm_are_listed_health_checked_patched_and_renewed()
    {
        var systemVms = new SystemVmUseCases(fixture.Stack);

        var listed = await systemVms.StartAndListAsync();
        Assert.Contains("s-1-VM (secondarystoragevm, agent", listed, StringComparison.Ordinal);
        Assert.Contains("v-2-VM (consoleproxy, agent", listed, StringComparison.Ordinal);

        Assert.Matches(@"^s-1-VM \d+ checks passed; v-2-VM \d+ checks passed", await systemVms.HealthChecksAsync());

        Assert.StartsWith("3 targets, 3 Success", await systemVms.PatchAsync(), StringComparison.Ordinal);

        var renewed = await systemVms.RenewCertificatesAsync();
        Assert.Contains("s-1-VM ", renewed, StringComparison.Ordinal);
        Assert.Contains("v-2-VM ", renewed, StringComparison.Ordinal);
    }

    [Fact]
    public async Task a_failing_check_of_a_system_vm_is_reported_and_kept_until_the_next_run()
    {
        // a system VM of its own, so the other test's agents are not touched
        var vm = new Demo.Stack.DemoVm("5e5e0000-8888-4a4a-9c9c-000000000008", "v-8-VM", "127.0.0.1");
        var checks = Path.Combine(fixture.Stack.Layout.RunDirectory, "checks-" + vm.Name);
        Directory.CreateDirectory(checks);
        var script = Path.Combine(checks, "console_proxy_check.sh");
        await File.WriteAllTextAsync(script, "#!/bin/sh\necho 'console proxy not listening on 8443'\nexit 2\n");
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(script, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        await Api.CallAsync("registerVirtualMachine", ("id", vm.Id), ("name", vm.Name), ("routerid", Demo.Stack.StackLayout.RouterId), ("systemvmtype", "consoleproxy"));
        try
        {
            await fixture.Stack.StartAgentAsync(vm, await fixture.Stack.EnrollmentTokenAsync(("virtualmachineid", vm.Id)),
                SystemVmPolicy.Write(Path.Combine(fixture.Stack.Layout.DataDirectory("agents"), vm.Id)), checks);
            await fixture.Stack.WaitForAgentsAsync([vm.Id], TimeSpan.FromSeconds(90));

            var fresh = Check(await Api.CallAsync("getSystemVmHealthCheckResults", ("id", vm.Id), ("performfreshchecks", "true"), ("checktype", "advanced")));
            Assert.False(fresh["success"]!.GetValue<bool>());
            Assert.Equal(("advanced", "console proxy not listening on 8443"), (ResponseValues.Text(fresh["checktype"]), ResponseValues.Text(fresh["details"])));
            var kept = Check(await Api.CallAsync("getSystemVmHealthCheckResults", ("id", vm.Id)));
            Assert.Equal(ResponseValues.Text(fresh["lastupdated"]), ResponseValues.Text(kept["lastupdated"]));
            Assert.False(kept["success"]!.GetValue<bool>());

            // the bridge published the failing result: an ALERT.SYSTEMVM.HEALTH e-mail names the VM and what to do
            var mail = QuotedPrintable(await File.ReadAllTextAsync(await Mailbox.WaitForAsync(fixture.Stack.Layout.MailDirectory, "console_proxy_check", TimeSpan.FromSeconds(90))));
            Assert.True(mail.Contains($"health check 'console_proxy_check' of system VM {vm.Id} failed: console proxy not listening on 8443", StringComparison.Ordinal)
                && mail.Contains("ALERT.SYSTEMVM.HEALTH", StringComparison.Ordinal)
                && mail.Contains($"getSystemVmHealthCheckResults id={vm.Id}", StringComparison.Ordinal), mail);
        }
        finally
        {
            await fixture.Stack.StopAgentAsync(vm.Id);
        }
    }

    [Fact]
    public async Task system_vms_stay_apart_from_user_vms_and_a_refused_registration_changes_nothing()
    {
        const string ssvm = "5e5e0000-9999-4a4a-9c9c-000000000009";
        var userVm = fixture.Stack.Layout.Vms[0].Id;
        await Api.CallAsync("registerVirtualMachine", ("id", ssvm), ("name", "s-9-VM"), ("routerid", Demo.Stack.StackLayout.RouterId), ("systemvmtype", "SecondaryStorageVm"));

        // listed with CloudStack's type spelling and the agent state of one that never connected; not a user VM
        var row = Assert.Single(ResponseValues.Items(await Api.CallAsync("listSystemVms", ("id", ssvm)), "systemvm"));
        Assert.Equal(("secondarystoragevm", "Unknown", "s-9-VM"), (ResponseValues.Text(row["systemvmtype"]), ResponseValues.Text(row["agentstate"]), ResponseValues.Text(row["name"])));
        Assert.Equal(0, ResponseValues.Count(await Api.CallAsync("listVirtualMachines", ("id", ssvm))));
        Assert.Empty(ResponseValues.Items(await Api.CallAsync("listSystemVms", ("id", userVm)), "systemvm"));

        // user-VM commands refuse a system VM; patchSystemVm refuses a user VM
        await RefusedAsync(431, () => Api.CallAsync("resetPasswordForVirtualMachine", ("id", ssvm)));
        await RefusedAsync(431, () => Api.CallAsync("patchSystemVm", ("id", userVm)));
        await RefusedAsync(431, () => Api.CallAsync("getSystemVmHealthCheckResults", ("id", userVm)));

        // bad registrations: an unknown type, an account for a system VM, a user VM turned into a system VM and back, a user VM of the system account
        var before = ResponseValues.Count(await Api.CallAsync("listSystemVms"));
        await RefusedAsync(431, () => Api.CallAsync("registerVirtualMachine", ("id", "5e5e0000-9999-4a4a-9c9c-00000000000a"), ("routerid", Demo.Stack.StackLayout.RouterId), ("systemvmtype", "domainrouter")));
        await RefusedAsync(431, () => Api.CallAsync("registerVirtualMachine", ("id", "5e5e0000-9999-4a4a-9c9c-00000000000b"), ("routerid", Demo.Stack.StackLayout.RouterId), ("systemvmtype", "consoleproxy"), ("account", "demo")));
        await RefusedAsync(536, () => Api.CallAsync("registerVirtualMachine", ("id", userVm), ("routerid", Demo.Stack.StackLayout.RouterId), ("systemvmtype", "consoleproxy")));
        await RefusedAsync(536, () => Api.CallAsync("registerVirtualMachine", ("id", ssvm), ("routerid", Demo.Stack.StackLayout.RouterId), ("account", "demo")));
        await RefusedAsync(431, () => Api.CallAsync("registerVirtualMachine", ("id", "5e5e0000-9999-4a4a-9c9c-00000000000d"), ("routerid", Demo.Stack.StackLayout.RouterId), ("account", "system")));
        Assert.Equal(before, ResponseValues.Count(await Api.CallAsync("listSystemVms")));
        Assert.Single(ResponseValues.Items(await Api.CallAsync("listVirtualMachines", ("id", userVm)), "virtualmachine"));

        // a user neither registers nor lists system VMs
        var keys = (await Api.CallAsync("registerUserKeys", ("account", "sysvm-user")))["userkeys"]!;
        using var user = new CloudStackClient(new Uri(fixture.Stack.Layout.ApiUrl), new ApiKeys(ResponseValues.Text(keys["apikey"]), ResponseValues.Text(keys["secretkey"])));
        await RefusedAsync(531, () => user.CallAsync("registerVirtualMachine", ("id", "5e5e0000-9999-4a4a-9c9c-00000000000c"), ("routerid", Demo.Stack.StackLayout.RouterId), ("systemvmtype", "consoleproxy")));
        await RefusedAsync(432, () => user.CallAsync("listSystemVms"));
    }

    private static System.Text.Json.Nodes.JsonObject Check(System.Text.Json.Nodes.JsonObject response) =>
        Assert.Single((response["systemvmhealthchecks"]?["healthchecks"]?.AsArray() ?? []).OfType<System.Text.Json.Nodes.JsonObject>());

    /// <summary>The e-mail's text without quoted-printable's soft line breaks and with its '=' back.</summary>
    private static string QuotedPrintable(string mail) =>
        mail.Replace("=\r\n", "", StringComparison.Ordinal).Replace("=\n", "", StringComparison.Ordinal).Replace("=3D", "=", StringComparison.Ordinal);

    private static async Task RefusedAsync(int code, Func<Task> call)
    {
        var refused = await Assert.ThrowsAsync<CloudStackApiException>(call);
        Assert.True(refused.ErrorCode == code, $"expected error {code}, got {refused.ErrorCode}: {refused.ErrorText}");
    }
}
