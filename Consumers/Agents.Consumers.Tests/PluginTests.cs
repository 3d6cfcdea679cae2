using Agents.Consumers.Tests.Support;
using Agents.Contracts.Events;
using Agents.Testing;

namespace Agents.Consumers.Tests;

/// <summary>
/// A third party's plugin (the sample, Agents.Consumers.SamplePlugin, built as its own assembly)
/// loaded by the real consumers process: its own queue and bindings, its deliveries through the
/// contract's readers, a redelivered event written once.
/// </summary>
[Collection(BrokerCollection.Name)]
public sealed class PluginTests(BrokerFixture broker) : IDisposable
{
    private static readonly string SamplePlugin = ServiceProcess.DllOf("Consumers/Agents.Consumers.SamplePlugin");
    private readonly TempDirectory _temp = new();

    [Fact]
    public async Task the_sample_plugin_gets_completed_jobs_on_its_own_queue_and_writes_each_once()
    {
        Assert.True(File.Exists(SamplePlugin), $"{SamplePlugin} is not built");
        var log = Path.Combine(_temp.Path, "jobs.tsv");
        await using var consumers = ConsumersProcess.Start(broker.AmqpUri("consumers"), FreePort.Next(),
            [$"--Consumers:Plugins:0={SamplePlugin}", $"--Plugins:JobCompletionLog:Path={log}"]);
        await consumers.WaitUntilBoundAsync(queues: 4);
        Assert.Contains("consumers.plugin.job-completion-log bound to cloudstack-events with *.AsyncJobEvent.complete.#", consumers.Output, StringComparison.Ordinal);
        await using var events = new Events(broker, "producers");

        var (done, other) = (Guid.NewGuid(), Guid.NewGuid());
        var complete = Job(done, AsyncJobChanged.Complete);
        await events.PublishAsync(Job(other, AsyncJobChanged.Submit)); // not bound: never reaches the plugin
        await events.PublishAsync(complete);
        await events.PublishAsync(complete); // a publisher's retry: the same event again
        await Eventually.TrueAsync(() => Task.FromResult(File.Exists(log)), "the plugin's file");
        await Eventually.TrueAsync(async () => await broker.MessagesInAsync("consumers.plugin.job-completion-log") == 0, "the plugin's queue drained");

        var line = Assert.Single(await File.ReadAllLinesAsync(log));
        Assert.StartsWith($"{done}\tSucceeded\tresetPasswordForVirtualMachine\talice\tVirtualMachine/vm-p", line, StringComparison.Ordinal);
        Assert.DoesNotContain(other.ToString(), await File.ReadAllTextAsync(log), StringComparison.Ordinal);
    }

    [Fact]
    public async Task a_plugin_path_that_does_not_load_stops_the_service_at_start_with_exit_2_naming_it()
    {
        var missing = Path.Combine(_temp.Path, "no-such-plugin.dll");
        await using var consumers = ConsumersProcess.Start(broker.AmqpUri("consumers"), FreePort.Next(), [$"--Consumers:Plugins:0={missing}"]);
        Assert.Equal(2, await consumers.WaitForExitAsync());
        Assert.Contains($"consumers: Consumers:Plugins '{missing}' did not load", consumers.Output, StringComparison.Ordinal);
    }

    private static CloudStackEvent Job(Guid id, string stage) => new AsyncJobChanged
    {
        MessageId = Guid.NewGuid(), JobEvent = stage, JobId = id, Command = "resetPasswordForVirtualMachine",
        Status = stage == AsyncJobChanged.Complete ? AsyncJobStatus.Succeeded : AsyncJobStatus.Pending, Account = "alice",
        InstanceType = ResourceTypes.VirtualMachine, InstanceUuid = "vm-p", ChangedAt = DateTimeOffset.UtcNow,
    }.ToEvent();

    public void Dispose() => _temp.Dispose();
}
