using System.Globalization;
using Agents.Testing;

namespace Agents.ReliabilityTests.Support;

/// <summary>
/// A private RabbitMQ node whose data outlives a stop: stopped gracefully, or its Erlang VM
/// killed with SIGKILL, then started again on the same ports with the same queues and messages.
/// </summary>
public sealed class RestartableNode : IAsyncDisposable
{
    private readonly string _dir;
    private RabbitMqNode? _current;

    public RestartableNode(RabbitMqNodeOptions? options = null)
    {
        _dir = Directory.CreateTempSubdirectory(RabbitMqNode.TempPrefix + "rel-").FullName;
        Options = (options ?? new RabbitMqNodeOptions()) with { DataDirectory = _dir };
    }

    public RabbitMqNodeOptions Options { get; }

    public string NodeName => Options.NodeName;

    public bool IsRunning { get; private set; }

    public RabbitMqNode Node => _current ?? throw new InvalidOperationException($"node {NodeName} was never started");

    public string AmqpUri(string user = "admin") => Node.AmqpUri(user);

    public async Task StartAsync()
    {
        _current = new RabbitMqNode(Options);
        await _current.StartAsync();
        IsRunning = true;
    }

    /// <summary>rabbitmqctl stop: the node closes its connections and shuts down cleanly.</summary>
    public async Task StopAsync()
    {
        if (_current is null) return;
        IsRunning = false;
        await _current.StopAsync();
    }

    /// <summary>SIGKILL to the node's Erlang VM: no goodbye to clients, nothing flushed that was not already.</summary>
    public async Task KillAsync()
    {
        var pid = await BeamPidAsync();
        IsRunning = false;
        using (var beam = System.Diagnostics.Process.GetProcessById(pid))
        {
            beam.Kill();
            await beam.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
        }
        await StopAsync(); // reaps what is left of the process group and epmd
    }

    public Task<string> CtlAsync(params string[] args) => Node.CtlAsync(args);

    /// <summary>The process id of the node's Erlang VM, for signals (SIGKILL, SIGSTOP).</summary>
    public async Task<int> BeamPidAsync() =>
        int.Parse((await File.ReadAllTextAsync(Path.Combine(_dir, "rabbitmq.pid"))).Trim(), CultureInfo.InvariantCulture);

    /// <summary>
    /// Saves what the node keeps in lazily saved tables, as time would. RabbitMQ 3.10.8 records a new quorum queue's
    /// Ra server in a DETS table (ra_directory) saved on a timer: killed before that save, the node restarts the queue
    /// as a brand-new, empty Ra member that never elects itself leader (its confirmed messages orphaned, publishes to
    /// it never confirmed). A fault meant to hit a working broker, not a queue born a moment ago, settles first.
    /// Returns the tables saved.
    /// </summary>
    public Task<string> SettleAsync() =>
        CtlAsync("eval", "[{T, dets:sync(T)} || T <- dets:all()].");

    public async ValueTask DisposeAsync()
    {
        try { await StopAsync(); }
        finally
        {
            try { Directory.Delete(_dir, recursive: true); }
            catch (IOException) { /* a log still open: the temp folder is harmless */ }
        }
    }
}
