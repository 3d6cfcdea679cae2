using System.Text.Json.Nodes;
using Agents.Contracts.Events;
using Agents.Demo.Stack;
using Agents.Producers.Client;
using Agents.Testing;
using Agents.VmAgent.Core.Crypto;

namespace Agents.Demo.Steps;

/// <summary>
/// Every use case of the seeds, driven through the public API only (and checked from outside:
/// the sandbox files the agents wrote, the mailbox the SMTP server filled).
/// </summary>
public sealed class UseCases(DemoStack stack)
{
    private static readonly JobWaitOptions Waiting = new() { Timeout = TimeSpan.FromSeconds(120), MaxPoll = TimeSpan.FromMilliseconds(500) };
    private CloudStackClient Api => stack.Api;
    private IReadOnlyList<DemoVm> Vms => stack.Layout.Vms;

    public Task<string> ConsoleSignInAsync() => ConsoleSignIn.RunAsync(stack.Layout.ConsoleUrl, DemoStack.AdminUser, stack.AdminPassword);

    public async Task<string> ResetPasswordAsync()
    {
        var vm = Vms[0];
        var result = await RunJobAsync("resetPasswordForVirtualMachine", ("id", vm.Id));
        var password = ResponseValues.Text(result["virtualmachine"]?["password"]);
        VerifyPassword(stack.Layout, vm, password);
        return $"{vm.Name}: new password ({password.Length} chars) returned once by the job; the agent's shadow hash verifies it";
    }

    public async Task<string> ResetSshKeyAsync()
    {
        var vm = Vms[1];
        var publicKey = DemoSshKey();
        var name = "demo-key-" + Guid.NewGuid().ToString("N")[..6];
        await Api.CallAsync("registerSSHKeyPair", ("name", name), ("publickey", publicKey), ("account", "demo"));
        await RunJobAsync("resetSSHKeyForVirtualMachine", ("id", vm.Id), ("keypair", name));
        var keys = Path.Combine(stack.Layout.SandboxRoot(vm.Id), "root", ".ssh", "authorized_keys");
        if (!File.ReadAllText(keys).Contains(publicKey, StringComparison.Ordinal)) throw new StepFailedException($"{keys} does not hold the key");
        return $"{vm.Name}: authorized_keys holds the registered key";
    }

    public async Task<string> AllowedRecipeAsync()
    {
        var vm = Vms[1];
        var result = await RunJobAsync("runAgentRecipe", ("virtualmachineids", vm.Id), ("name", DemoPolicy.AllowedRecipe), ("parameters[0].key", "SERVER"), ("parameters[0].value", "mon.example.org"));
        var target = Targets(result).Single();
        if (Status(target) != "Success") throw new StepFailedException($"recipe ended {Status(target)}: {target.ToJsonString()}");
        return $"{vm.Name}: {DemoPolicy.AllowedRecipe} ran, output: {Short(ResponseValues.Text(target["stdout"]).Trim())}";
    }

    public async Task<string> ForbiddenRecipeAsync()
    {
        var vm = Vms[1];
        var refusalsBefore = await RejectedRecipeEventsAsync(vm);
        var job = await StartJobAsync("runAgentRecipe", ("virtualmachineids", vm.Id), ("name", DemoPolicy.ForbiddenRecipe));
        var done = await Api.WaitForJobAsync(job, Waiting);
        var target = Targets(done.Result ?? []).SingleOrDefault()
            ?? throw new StepFailedException($"no per-target status: {done}");
        if (Status(target) != "Rejected") throw new StepFailedException($"expected Rejected, got {Status(target)}");
        // the refusal is in the audit log too (the consumers service records every event; listEvents reads it)
        await Eventually.TrueAsync(async () => await RejectedRecipeEventsAsync(vm) > refusalsBefore, $"the refusal of job {job} in listEvents", 30);
        return $"{vm.Name}: {DemoPolicy.ForbiddenRecipe} refused by the agent's local policy (Rejected), and the refusal is in listEvents";
    }

    public async Task<string> FanOutAsync()
    {
        var ids = string.Join(',', Vms.Select(v => v.Id));
        var result = await RunJobAsync("runAgentRecipe", ("virtualmachineids", ids), ("name", DemoPolicy.AllowedRecipe), ("maxconcurrency", "1"), ("maxerrors", "1"));
        var statuses = Targets(result).Select(Status).ToList();
        if (statuses.Count != Vms.Count || statuses.Any(s => s != "Success")) throw new StepFailedException($"targets: {string.Join(", ", statuses)}");
        return $"{statuses.Count} VMs, one at a time (maxconcurrency=1, maxerrors=1): all Success";
    }

    public async Task<string> PatchRouterAsync()
    {
        var result = await RunJobAsync("patchSystemVm", ("id", StackLayout.RouterId));
        return $"router patched: {Short(result.ToJsonString())}";
    }

    public async Task<string> HealthChecksAsync()
    {
        var result = await Api.CallAsync("getRouterHealthCheckResults", ("routerid", StackLayout.RouterId), ("performfreshchecks", "true"));
        var checks = result["routerhealthchecks"]?["healthchecks"]?.AsArray() ?? result["healthchecks"]?.AsArray() ?? [];
        if (checks.Count == 0) throw new StepFailedException($"no health check results: {result.ToJsonString()}");
        var failed = checks.Count(c => c?["success"]?.GetValue<bool>() == false);
        return $"{checks.Count} checks ran, {failed} failing";
    }

    /// <summary>
    /// Two certificates issued for one day (issueCertificate duration=1), so inside the expiry alert
    /// period at once; the CA's expiry scan (every ca.framework.background.task.delay) finds both.
    /// One names a host no router serves: it cannot be renewed, so an alert e-mail goes out. The other
    /// names a VM: the CA asks its agent (through its router) to rekey, and the renewal replaces every
    /// certificate of that VM; the agent reconnects with its new one.
    /// </summary>
    public async Task<string> CertificateNearExpiryAsync()
    {
        var lone = await Api.CallAsync("issueCertificate", ("domain", "legacy-app.demo.internal"), ("duration", "1"));
        var loneSerial = ResponseValues.Text(lone["certificates"]?["serialnumber"]);
        var vm = Vms[1];
        var before = await AgentSerialAsync(vm);
        var expiring = await Api.CallAsync("issueCertificate", ("virtualmachineid", vm.Id), ("duration", "1"));
        var expiringSerial = ResponseValues.Text(expiring["certificates"]?["serialnumber"]);

        var mail = await Mailbox.WaitForAsync(stack.Layout.MailDirectory, loneSerial, TimeSpan.FromSeconds(90));
        var after = before;
        await Eventually.TrueAsync(async () => (after = await AgentSerialAsync(vm)) != before,
            $"{vm.Name} to use a certificate other than {before} once {expiringSerial} entered the alert period", 90);
        return $"{vm.Name} renewed automatically ({Short(before, 12)} → {Short(after, 12)}); alert e-mail {Path.GetFileName(mail)} for {Short(loneSerial, 12)}, which no router can renew";
    }

    /// <summary>
    /// Revokes a VM's certificate: the bridge cuts its agent off, and refuses the agent's
    /// reconnects with it. Then someone with a certificate of another CA naming a second VM tries
    /// to be that VM's agent. Both refusals must be in the audit log (listEvents
    /// type=AGENT.CONNECTION.REFUSE for each VM).
    /// </summary>
    public async Task<string> RevokeAsync()
    {
        var vm = Vms[2];
        var serial = await AgentSerialAsync(vm);
        var revokedRefusalsBefore = await ConnectionRefusalsAsync(vm);
        await Api.CallAsync("revokeCertificate", ("serial", serial));
        await Eventually.TrueAsync(async () => !(await stack.ConnectedAgentsAsync()).Contains(vm.Id), $"{vm.Name} cut off after the revocation", 10);
        await WaitForConnectionRefusalAsync(vm, revokedRefusalsBefore, "the agent's reconnect with its revoked certificate");

        var claimed = Vms[0];
        var impostorRefusalsBefore = await ConnectionRefusalsAsync(claimed);
        var answer = await Impostor.TryToBeAsync(claimed.Id, stack.Layout.BridgePort);
        if (!answer.StartsWith("refused", StringComparison.Ordinal)) throw new StepFailedException($"an impostor claiming {claimed.Name} got a {answer}");
        await WaitForConnectionRefusalAsync(claimed, impostorRefusalsBefore, "the impostor");
        return $"{vm.Name}: certificate {serial} revoked, the bridge cut the agent off and refuses its reconnects; " +
            $"an impostor's certificate for {claimed.Name} (another CA) is refused too; both refusals are in listEvents (AGENT.CONNECTION.REFUSE)";
    }

    public async Task<string> UnreachableAgentAsync()
    {
        var vm = Vms[0];
        await stack.StopAgentAsync(vm.Id);
        var job = await StartJobAsync("resetPasswordForVirtualMachine", ("id", vm.Id));
        var done = await Api.WaitForJobAsync(job, Waiting with { Timeout = TimeSpan.FromMinutes(3) });
        if (done.Status != AsyncJobStatus.Failed) throw new StepFailedException($"the job should fail: {done}");
        var mail = await Mailbox.WaitForAsync(stack.Layout.MailDirectory, vm.Id, TimeSpan.FromSeconds(90));
        return $"{vm.Name}: retries spent, job failed ({Short(done.ErrorText)}); alert e-mail {Path.GetFileName(mail)}";
    }

    private async Task<int> ConnectionRefusalsAsync(DemoVm vm)
    {
        var events = await Api.CallAsync("listEvents", ("type", "AGENT.CONNECTION.REFUSE"), ("resourceid", vm.Id));
        return ResponseValues.Count(events);
    }

    private Task WaitForConnectionRefusalAsync(DemoVm vm, int before, string who) =>
        Eventually.TrueAsync(async () => await ConnectionRefusalsAsync(vm) > before, $"the refusal of {who} ({vm.Name}) in listEvents", 30);

    private async Task<int> RejectedRecipeEventsAsync(DemoVm vm)
    {
        var events = await Api.CallAsync("listEvents", ("type", "AGENT.RECIPE.RUN"), ("resourceid", vm.Id), ("keyword", "Rejected"));
        return ResponseValues.Count(events);
    }

    /// <summary>The serial of the certificate the VM's agent is connected with, as listAgents reports it.</summary>
    private async Task<string> AgentSerialAsync(DemoVm vm)
    {
        var agents = await Api.CallAsync("listAgents", ("routerid", StackLayout.RouterId));
        var agent = (agents["agent"]?.AsArray() ?? []).FirstOrDefault(a => ResponseValues.Text(a?["virtualmachineid"]) == vm.Id)
            ?? throw new StepFailedException($"{vm.Name} is not in listAgents");
        return ResponseValues.Text(agent["certificateserial"]);
    }

    private async Task<string> StartJobAsync(string command, params (string Key, string Value)[] parameters)
    {
        var started = await Api.CallAsync(command, parameters);
        return ResponseValues.Text(started["jobid"]);
    }

    private async Task<JsonObject> RunJobAsync(string command, params (string Key, string Value)[] parameters)
    {
        var done = await Api.WaitForJobAsync(await StartJobAsync(command, parameters), Waiting);
        if (done.Status != AsyncJobStatus.Succeeded) throw new StepFailedException($"{command} failed: {done.Result?.ToJsonString()}");
        return done.Result ?? [];
    }

    /// <summary>The sandbox's shadow file of <paramref name="vm"/> holds <paramref name="password"/> for root.</summary>
    public static void VerifyPassword(StackLayout layout, DemoVm vm, string password)
    {
        ArgumentNullException.ThrowIfNull(layout);
        ArgumentNullException.ThrowIfNull(vm);
        if (password.Length < 12) throw new StepFailedException($"the job returned no usable password for {vm.Name}");
        var shadow = Path.Combine(layout.SandboxRoot(vm.Id), "etc", "shadow");
        var hash = File.ReadAllLines(shadow).Select(l => l.Split(':')).First(f => f[0] == "root")[1];
        if (!Sha512Crypt.Verify(password, hash)) throw new StepFailedException($"{shadow} does not hold the job's password");
    }

    /// <summary>An ssh-ed25519 public key line in OpenSSH's format (the blob: type name, then the 32-byte key).</summary>
    public static string DemoSshKey()
    {
        var type = System.Text.Encoding.ASCII.GetBytes("ssh-ed25519");
        var key = System.Security.Cryptography.RandomNumberGenerator.GetBytes(32);
        var blob = new List<byte>();
        foreach (var part in new[] { type, key })
        {
            blob.AddRange(BitConverter.GetBytes(System.Buffers.Binary.BinaryPrimitives.ReverseEndianness(part.Length)));
            blob.AddRange(part);
        }
        return $"ssh-ed25519 {Convert.ToBase64String(blob.ToArray())} demo@agents";
    }

    private static IEnumerable<JsonObject> Targets(JsonObject result) =>
        (result["agentjob"]?["targets"]?.AsArray() ?? []).OfType<JsonObject>();

    private static string Status(JsonObject target) => ResponseValues.Text(target["status"]);

    private static string Short(string text, int length = 60) => text.Length > length ? text[..(length - 3)] + "..." : text;
}
