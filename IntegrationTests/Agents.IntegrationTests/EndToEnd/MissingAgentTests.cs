using System.Text.Json;
using Agents.Contracts.Events;
using Agents.Demo.Steps;
using Agents.Testing;

namespace Agents.IntegrationTests.EndToEnd;

/// <summary>
/// A VM registered in the cloud whose agent was never installed, on the whole stack as separate
/// processes (the demo's: strict bridge, CA, API, consumers, SMTP server): the command gets a job
/// at once; the job waits for the agent through the retries (the demo runs 2 retries 2 s apart);
/// then either the agent enrolls meanwhile and the command is delivered, or the job fails, an
/// AlertEvent names the VM (read by a subscriber that is not ours: docs/examples/watch_events.py
/// with pika) and the alert e-mail in the SMTP server's mailbox says how to install the agent.
/// </summary>
[Collection(StackCollection.Name)]
public sealed class MissingAgentTests(StackFixture fixture)
{
    private const int DemoRetries = 2;

    [Theory]
    [InlineData(MissingAgent.Password)]
    [InlineData(MissingAgent.SshKey)]
    [InlineData(MissingAgent.Recipe)]
    public async Task a_vm_without_an_agent_gets_a_job_at_once_then_retries_then_a_failure_an_alert_and_an_email_with_the_install_steps(string command)
    {
        var stack = fixture.Stack;
        var missing = new MissingAgent(stack);
        var vm = await missing.RegisterVmAsync();
        var watcher = await PikaWatcher.StartAsync(stack.AmqpUri("admin"), $"*.AlertEvent.*.VirtualMachine.{vm.Id}", count: 1, seconds: 300);
        await using var tap = await EventTap.StartAsync(stack.AmqpUri("admin"), "*.AsyncJobEvent.#");

        var job = await missing.StartAsync(command, vm);
        var (done, attempts) = await missing.WatchAsync(job);

        Assert.True(done.Status == AsyncJobStatus.Failed, done.ToString());
        // queryAsyncJobResult showed the retries while the job was pending (jobprocstatus: the attempt; a last attempt
        // without a certificate to seal to ends at once, so it may not be seen pending)
        Assert.True(attempts.Count >= 2 && attempts.Max() <= DemoRetries + 1, $"attempts seen: {string.Join(", ", attempts)}");
        Assert.Contains($"after {DemoRetries + 1} attempt(s)", done.ErrorText, StringComparison.Ordinal);
        // the bus too: one AsyncJobEvent at stage Retrying per retry
        var retrying = tap.Events.Where(e => e["jobId"] == job && e["stage"] == "Retrying").ToList();
        Assert.Equal(DemoRetries, retrying.Count);
        foreach (var text in new[] { vm.Id, "seems to have no agent", "agents-vm-agent.iso", "install.sh" })
            Assert.Contains(text, done.ErrorText, StringComparison.Ordinal);

        var alert = Assert.Single(await PikaWatcher.EventsAsync(watcher, 120));
        Assert.Contains(".AlertEvent.ALERT-AGENT-UNREACHABLE.VirtualMachine.", alert.GetProperty("routingKey").GetString(), StringComparison.Ordinal);
        var body = alert.GetProperty("body");
        Assert.Contains(vm.Id, Text(body, "subject"), StringComparison.Ordinal);
        Assert.Contains("install.sh", Text(body, "body"), StringComparison.Ordinal);

        var unfolded = await Mailbox.ReadAsync(await Mailbox.WaitForAsync(stack.Layout.MailDirectory, vm.Id, TimeSpan.FromSeconds(120)));
        Assert.Contains("agents-vm-agent.iso", unfolded, StringComparison.Ordinal);
        Assert.Contains("install.sh", unfolded, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(MissingAgent.Password)]
    [InlineData(MissingAgent.SshKey)]
    [InlineData(MissingAgent.Recipe)]
    public async Task a_vm_whose_agent_enrolls_during_the_retries_gets_the_command_delivered(string command)
    {
        var stack = fixture.Stack;
        var missing = new MissingAgent(stack);
        var vm = await missing.RegisterVmAsync();
        try
        {
            // more retries than the demo's two, so that an agent process has time to start and enroll between them
            var done = await missing.WithRetriesAsync(30, async () =>
            {
                var job = await missing.StartAsync(command, vm);
                await missing.WaitForRetryAsync(job);
                await stack.StartAgentAsync(vm, await stack.EnrollmentTokenAsync(("virtualmachineid", vm.Id)));
                var (finished, attempts) = await missing.WatchAsync(job);
                Assert.True(finished.Status == AsyncJobStatus.Succeeded, $"{finished} (attempts {string.Join(", ", attempts)})");
                return finished.ToString();
            });
            var sandbox = stack.Layout.SandboxRoot(vm.Id);
            switch (command)
            {
                case MissingAgent.Password:
                    var password = JsonDocument.Parse(done).RootElement.GetProperty("jobresult").GetProperty("virtualmachine").GetProperty("password").GetString()!;
                    UseCases.VerifyPassword(stack.Layout, vm, password);
                    break;
                case MissingAgent.SshKey:
                    Assert.Contains("demo@agents", await File.ReadAllTextAsync(Path.Combine(sandbox, "root", ".ssh", "authorized_keys")), StringComparison.Ordinal);
                    break;
                default:
                    Assert.Contains("\"status\":\"Success\"", done, StringComparison.Ordinal);
                    break;
            }
        }
        finally
        {
            await stack.StopAgentAsync(vm.Id);
        }
    }

    private static string Text(JsonElement body, string name) =>
        body.TryGetProperty(name, out var value) ? value.ToString() : "";
}
