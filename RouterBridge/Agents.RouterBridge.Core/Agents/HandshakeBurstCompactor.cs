using System.Diagnostics;
using Microsoft.Extensions.Logging;

namespace Agents.RouterBridge.Core.Agents;

/// <summary>
/// Gives back the memory a burst of handshakes leaves behind. When a router's agents reconnect at
/// once (the bridge restarted, the router rebooted), thousands of TLS handshakes within seconds leave
/// their garbage (certificates, chains, handshake buffers) in the managed heap, and a bridge that then
/// sits idle may not collect it for a long time: it stays resident in the router VM (about 20 MiB
/// after 10,000 reconnects, docs/benchmarks.md). Once a check finds no handshake since the one
/// before, after at least <see cref="Burst"/> since the last collection, one full, compacting
/// collection returns it: at most one collection per <see cref="Burst"/> handshakes, whatever their pace.
/// </summary>
public sealed class HandshakeBurstCompactor(ILogger logger)
{
    /// <summary>Handshakes that make a burst worth a full collection.</summary>
    public const int Burst = 500;

    /// <summary>How often the listener looks: a burst has ended when one such period passed without a handshake.</summary>
    public static readonly TimeSpan Quiet = TimeSpan.FromSeconds(1);

    private long _handshakes;
    private long _seen;
    private long _collectedAt;
    private Task? _loop;

    /// <summary>A handshake ended, whether it succeeded or not.</summary>
    public void HandshakeDone() => Interlocked.Increment(ref _handshakes);

    /// <summary>
    /// One check (the loop makes one per <see cref="Quiet"/>): true when no handshake came since the
    /// check before and at least <see cref="Burst"/> came since the last collection, which this counts as done.
    /// </summary>
    public bool Due()
    {
        var now = Interlocked.Read(ref _handshakes);
        var due = now == _seen && now - _collectedAt >= Burst;
        if (due) _collectedAt = now;
        _seen = now;
        return due;
    }

    public void Start(CancellationToken stopping) => _loop = LoopAsync(stopping);

    public Task StopAsync() => _loop ?? Task.CompletedTask;

    private async Task LoopAsync(CancellationToken ct)
    {
        using var timer = new PeriodicTimer(Quiet);
        try
        {
            while (await timer.WaitForNextTickAsync(ct).ConfigureAwait(false))
                if (Due()) Collect();
        }
        catch (OperationCanceledException) { }
    }

    private void Collect()
    {
        // resident memory is read now (the GC's own figures are as of its last collection, which may be old)
        var before = Environment.WorkingSet;
        var watch = Stopwatch.StartNew();
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        var pause = watch.ElapsedMilliseconds;
        logger.LogInformation("A burst of handshakes ended: resident memory went from {BeforeMiB:0.0} to {AfterMiB:0.0} MiB in a {PauseMs} ms collection (managed heap now {HeapMiB:0.0} MiB committed)",
            before / 1048576.0, Environment.WorkingSet / 1048576.0, pause, GC.GetGCMemoryInfo().TotalCommittedBytes / 1048576.0);
    }
}
