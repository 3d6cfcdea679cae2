using System.Text.Json.Nodes;
using Agents.Contracts.Events;
using Agents.Demo.Stack;
using Agents.Producers.Client;
using Agents.Testing;

namespace Agents.Demo.Steps;

/// <summary>
/// A VM registered in the cloud whose agent was never installed: a password reset, an SSH key
/// reset or a recipe gets a job at once, which waits for the agent through the retries
/// (agents.provisioning.*); if the agent enrolls meanwhile the command is delivered (a password
/// sealed to its new certificate), otherwise the job fails, an AlertEvent names the VM and the
/// alert e-mail says how to install the agent (agents.agent.iso, .packages, .install.command).
/// Driven through the API client only.
/// </summary>
public sealed class MissingAgent(DemoStack stack)
{
    public const string Password = "password";
    public const string SshKey = "sshkey";
    public const string Recipe = "recipe";
    private static readonly JobWaitOptions Waiting = new() { Timeout = TimeSpan.FromMinutes(3), MaxPoll = TimeSpan.FromMilliseconds(300) };
    private int _vms;
    private CloudStackClient Api => stack.Api;

    /// <summary>The demo step: a VM without an agent, a password reset, retries, the failure and the alert e-mail.</summary>
    public async Task<string> NeverInstalledAsync()
    {
        var vm = await RegisterVmAsync();
        var job = await StartAsync(Password, vm);
        var (done, attempts) = await WatchAsync(job);
        if (done.Status != AsyncJobStatus.Failed || !done.ErrorText.Contains("seems to have no agent", StringComparison.Ordinal))
            throw new StepFailedException($"the job should fail saying the VM has no agent: {done}");
        var mail = await Mailbox.WaitForAsync(stack.Layout.MailDirectory, vm.Id, TimeSpan.FromSeconds(90));
        if (!(await Mailbox.ReadAsync(mail)).Contains("install.sh", StringComparison.Ordinal))
            throw new StepFailedException($"the alert e-mail {mail} does not say how to install the agent");
        return $"{vm.Name}: job at once, attempts {string.Join(", ", attempts)} seen in queryAsyncJobResult, then failed; " +
               $"alert e-mail {Path.GetFileName(mail)} with the install steps";
    }

    /// <summary>The demo step: a VM without an agent, a password reset, then the agent enrolls during the retries and applies the password.</summary>
    public async Task<string> EnrollsDuringRetriesAsync()
    {
        var vm = await RegisterVmAsync();
        return await WithRetriesAsync(30, async () =>
        {
            var job = await StartAsync(Password, vm);
            await WaitForRetryAsync(job);
            await stack.StartAgentAsync(vm, await stack.EnrollmentTokenAsync(("virtualmachineid", vm.Id)));
            var (done, attempts) = await WatchAsync(job);
            if (done.Status != AsyncJobStatus.Succeeded) throw new StepFailedException($"the job should succeed once the agent enrolled: {done}");
            UseCases.VerifyPassword(stack.Layout, vm, ResponseValues.Text(done.Result?["virtualmachine"]?["password"]));
            return $"{vm.Name}: attempts {string.Join(", ", attempts)}; the agent enrolled during the retries and applied the password (its shadow hash verifies it)";
        });
    }

    /// <summary>A new VM behind the demo router, registered with no agent.</summary>
    public async Task<DemoVm> RegisterVmAsync()
    {
        var vm = new DemoVm(Guid.NewGuid().ToString(), $"new-{Interlocked.Increment(ref _vms)}", "127.0.0.1");
        await Api.CallAsync("registerVirtualMachine", ("id", vm.Id), ("name", vm.Name), ("routerid", StackLayout.RouterId), ("account", "demo"));
        return vm;
    }

    /// <summary>Starts the command; the API must answer with a pending job at once.</summary>
    public async Task<string> StartAsync(string command, DemoVm vm)
    {
        ArgumentNullException.ThrowIfNull(vm);
        var started = command switch
        {
            Password => await Api.CallAsync("resetPasswordForVirtualMachine", ("id", vm.Id)),
            SshKey => await Api.CallAsync("resetSSHKeyForVirtualMachine", ("id", vm.Id), ("keypair", await KeyPairAsync())),
            Recipe => await Api.CallAsync("runAgentRecipe", ("virtualmachineids", vm.Id), ("name", DemoPolicy.AllowedRecipe),
                ("parameters[0].key", "SERVER"), ("parameters[0].value", "mon.example.org")),
            _ => throw new ArgumentOutOfRangeException(nameof(command), command, "password, sshkey or recipe"),
        };
        var job = ResponseValues.Text(started["jobid"]);
        if (job.Length == 0) throw new StepFailedException($"{command} for {vm.Name} answered without a job: {started.ToJsonString()}");
        return job;
    }

    /// <summary>Polls the job to its end; the attempts it showed meanwhile (queryAsyncJobResult's jobprocstatus), in order.</summary>
    public async Task<(AsyncJob Done, IReadOnlyList<int> Attempts)> WatchAsync(string jobId)
    {
        var attempts = new List<int>();
        var done = await Api.WaitForJobAsync(jobId, Waiting with
        {
            Progress = job =>
            {
                if (ResponseValues.Int(job.Response["jobprocstatus"]) is > 0 and var attempt && (attempts.Count == 0 || attempts[^1] != attempt))
                    attempts.Add(attempt);
            },
        });
        return (done, attempts);
    }

    /// <summary>Until the job shows a second attempt: its agent was not reached and a retry was made.</summary>
    public Task WaitForRetryAsync(string jobId) => Eventually.TrueAsync(
        async () => ResponseValues.Int((await Api.CallAsync("queryAsyncJobResult", ("jobid", jobId)))["jobprocstatus"]) is >= 2,
        $"job {jobId} to show a second attempt in queryAsyncJobResult", Waiting.Timeout.TotalSeconds);

    /// <summary>Runs <paramref name="body"/> with agents.provisioning.retries at <paramref name="retries"/>, then puts the setting back.</summary>
    public async Task<string> WithRetriesAsync(int retries, Func<Task<string>> body)
    {
        ArgumentNullException.ThrowIfNull(body);
        const string name = "agents.provisioning.retries";
        var listed = ResponseValues.Items(await Api.CallAsync("listConfigurations", ("name", name)), "configuration").Single(c => ResponseValues.Text(c["name"]) == name);
        var before = ResponseValues.Text(listed["value"]);
        await Api.CallAsync("updateConfiguration", ("name", name), ("value", retries.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        try
        {
            return await body();
        }
        finally
        {
            await Api.CallAsync("updateConfiguration", ("name", name), ("value", before));
        }
    }

    private async Task<string> KeyPairAsync()
    {
        var name = "missing-agent-" + Guid.NewGuid().ToString("N")[..6];
        await Api.CallAsync("registerSSHKeyPair", ("name", name), ("publickey", UseCases.DemoSshKey()), ("account", "demo"));
        return name;
    }
}
