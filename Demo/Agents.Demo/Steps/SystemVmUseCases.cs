using System.Text.Json.Nodes;
using Agents.Contracts.Events;
using Agents.Demo.Stack;
using Agents.Producers.Client;
using Agents.Testing;

namespace Agents.Demo.Steps;

/// <summary>
/// The system VMs other than routers: a secondary storage VM and a console proxy VM, each with its
/// agent in privileged sandbox mode connected to the stack's bridge, registered, listed
/// (listSystemVms), health-checked (getSystemVmHealthCheckResults), patched (patchSystemVm, with the
/// router, one outcome per target) and given new certificates (provisionCertificate), through the API.
/// </summary>
public sealed class SystemVmUseCases(DemoStack stack)
{
    /// <summary>CloudStack names its SSVMs s-N-VM and its CPVMs v-N-VM.</summary>
    public static DemoVm SecondaryStorageVm { get; } = new("5e5e0000-5555-4a4a-9c9c-000000000001", "s-1-VM", "127.0.0.1");
    public static DemoVm ConsoleProxyVm { get; } = new("5e5e0000-7777-4a4a-9c9c-000000000002", "v-2-VM", "127.0.0.1");

    private static readonly JobWaitOptions Waiting = new() { Timeout = TimeSpan.FromSeconds(120), MaxPoll = TimeSpan.FromMilliseconds(500) };
    private static readonly (DemoVm Vm, string Type, string Check)[] SystemVms =
    [
        (SecondaryStorageVm, "secondarystoragevm", "secondary_storage_check"),
        (ConsoleProxyVm, "consoleproxy", "console_proxy_check"),
    ];

    private CloudStackClient Api => stack.Api;

    /// <summary>Registers both, starts their agents (each enrolls with a one-time token), and finds each in listSystemVms by its type.</summary>
    public async Task<string> StartAndListAsync()
    {
        foreach (var (vm, type, check) in SystemVms)
        {
            await Api.CallAsync("registerVirtualMachine", ("id", vm.Id), ("name", vm.Name), ("routerid", StackLayout.RouterId), ("systemvmtype", type));
            var data = Path.Combine(stack.Layout.DataDirectory("agents"), vm.Id);
            await stack.StartAgentAsync(vm, await stack.EnrollmentTokenAsync(("virtualmachineid", vm.Id)),
                SystemVmPolicy.Write(data), WriteHealthCheck(vm, check));
        }
        await stack.WaitForAgentsAsync(SystemVms.Select(s => s.Vm.Id), TimeSpan.FromSeconds(90));
        var listed = new List<string>();
        foreach (var (vm, type, _) in SystemVms)
        {
            var rows = ResponseValues.Items(await Api.CallAsync("listSystemVms", ("systemvmtype", type)), "systemvm");
            var row = rows.FirstOrDefault(r => ResponseValues.Text(r["id"]) == vm.Id)
                ?? throw new StepFailedException($"listSystemVms systemvmtype={type} does not list {vm.Name}");
            if (rows.Any(r => ResponseValues.Text(r["systemvmtype"]) != type) || ResponseValues.Text(row["agentstate"]) != "Up")
                throw new StepFailedException($"listSystemVms systemvmtype={type}: {string.Join(", ", rows.Select(r => r.ToJsonString()))}");
            listed.Add($"{vm.Name} ({type}, agent {ResponseValues.Text(row["version"])} Up)");
        }
        return $"listSystemVms: {string.Join(", ", listed)}";
    }

    /// <summary>Fresh checks run by each agent (basic and its script), then the same results kept for a call without performfreshchecks.</summary>
    public async Task<string> HealthChecksAsync()
    {
        var reports = new List<string>();
        foreach (var (vm, _, check) in SystemVms)
        {
            var fresh = Checks(await Api.CallAsync("getSystemVmHealthCheckResults", ("id", vm.Id), ("performfreshchecks", "true")));
            var names = fresh.Select(c => ResponseValues.Text(c["checkname"])).ToList();
            if (!names.Contains(check) || !names.Contains("disk_space_check") || !names.Contains("agent_certificate_check"))
                throw new StepFailedException($"{vm.Name}: checks {string.Join(", ", names)}");
            var failing = fresh.Where(c => c["success"]?.GetValue<bool>() != true).Select(c => ResponseValues.Text(c["checkname"])).ToList();
            if (failing.Count > 0) throw new StepFailedException($"{vm.Name}: failing checks {string.Join(", ", failing)}");
            var kept = Checks(await Api.CallAsync("getSystemVmHealthCheckResults", ("id", vm.Id))).Select(c => ResponseValues.Text(c["checkname"])).Order().ToList();
            if (!kept.SequenceEqual(names.Order())) throw new StepFailedException($"{vm.Name}: kept results {string.Join(", ", kept)} differ from the fresh ones");
            reports.Add($"{vm.Name} {names.Count} checks passed");
        }
        return string.Join("; ", reports) + " (basic, and each VM's own script)";
    }

    /// <summary>patchSystemVm on the router, the SSVM and the CPVM: one job, one outcome per target; each system VM's sandbox records the upgrade.</summary>
    public async Task<string> PatchAsync()
    {
        var ids = string.Join(',', SystemVms.Select(s => s.Vm.Id).Append(StackLayout.RouterId));
        var job = await Api.RunJobAsync("patchSystemVm", ("ids", ids));
        var targets = (job.Result?["agentjob"]?["targets"]?.AsArray() ?? []).OfType<JsonObject>().ToList();
        var outcomes = targets.Select(t => (Vm: ResponseValues.Text(t["virtualmachineid"]), Router: ResponseValues.Text(t["routerid"]), Status: ResponseValues.Text(t["status"]))).ToList();
        if (job.Status != AsyncJobStatus.Succeeded || outcomes.Count != 3 || outcomes.Any(o => o.Status != "Success"))
            throw new StepFailedException($"patchSystemVm: {job}");
        foreach (var (vm, _, _) in SystemVms)
        {
            if (!outcomes.Any(o => o.Vm == vm.Id)) throw new StepFailedException($"no target for {vm.Name}: {job}");
            var log = Path.Combine(stack.Layout.SandboxRoot(vm.Id), "var", "log", "agent-recipes.log");
            if (!File.Exists(log) || !File.ReadAllText(log).Contains("package-upgrade", StringComparison.Ordinal))
                throw new StepFailedException($"{vm.Name}: {log} does not record the package upgrade");
        }
        return $"3 targets, 3 Success: router, {SecondaryStorageVm.Name}, {ConsoleProxyVm.Name} (each system VM's agent ran package-upgrade)";
    }

    /// <summary>provisionCertificate for each: its agent makes a new key, renews through the bridge and reconnects with the new certificate.</summary>
    public async Task<string> RenewCertificatesAsync()
    {
        var renewed = new List<string>();
        foreach (var (vm, _, _) in SystemVms)
        {
            var before = await SerialAsync(vm);
            (await Api.RunJobAsync("provisionCertificate", [new("virtualmachineid", vm.Id)], Waiting)).EnsureSucceeded();
            var after = before;
            await Eventually.TrueAsync(async () => (after = await SerialAsync(vm)) != before && after.Length > 0,
                $"{vm.Name}'s agent to connect with a certificate other than {before}", 60);
            renewed.Add($"{vm.Name} {Short(before)} → {Short(after)}");
        }
        return "provisionCertificate: " + string.Join(", ", renewed);
    }

    /// <summary>The certificate serial the system VM's agent is connected with, as listSystemVms shows it (empty while it is not Up).</summary>
    private async Task<string> SerialAsync(DemoVm vm)
    {
        var row = ResponseValues.Items(await Api.CallAsync("listSystemVms", ("id", vm.Id)), "systemvm").Single();
        return ResponseValues.Text(row["agentstate"]) == "Up" ? ResponseValues.Text(row["certificateserial"]) : "";
    }

    /// <summary>The VM's advanced check: a script that looks at the pretend VM (its secondary storage mount, its console proxy's pid file).</summary>
    private string WriteHealthCheck(DemoVm vm, string check)
    {
        var sandbox = stack.Layout.SandboxRoot(vm.Id);
        var (path, what) = check == "secondary_storage_check" ? ("mnt/SecStorage", "secondary storage mounted") : ("var/run/consoleproxy.pid", "console proxy running");
        var target = Path.Combine(sandbox, path);
        if (path.EndsWith(".pid", StringComparison.Ordinal))
        {
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.WriteAllText(target, "4242\n");
        }
        else Directory.CreateDirectory(target);
        var directory = Path.Combine(stack.Layout.DataDirectory("agents"), vm.Id + "-health-checks");
        Directory.CreateDirectory(directory);
        var script = Path.Combine(directory, check + ".sh");
        File.WriteAllText(script, $"#!/bin/sh\nif [ -e '{target}' ]; then echo '{what}: {target}'; else echo 'missing: {target}'; exit 1; fi\n");
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(script, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        return directory;
    }

    private static List<JsonObject> Checks(JsonObject response) =>
        (response["systemvmhealthchecks"]?["healthchecks"]?.AsArray() ?? []).OfType<JsonObject>().ToList();

    private static string Short(string serial) => serial.Length > 12 ? serial[..12] : serial;
}
