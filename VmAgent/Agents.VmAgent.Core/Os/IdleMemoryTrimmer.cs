using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using Agents.VmAgent.Core.Logging;

namespace Agents.VmAgent.Core.Os;

/// <summary>
/// Gives back, once the agent is idle, the memory that only its start and its last commands used.
/// An agent spends nearly all its life connected and idle, a heartbeat every 30 s; what it touched to
/// start, enroll, handshake or run a command (its code pages above all: NativeAOT code is file-backed
/// and the kernel maps it 64 KiB around each fault) would otherwise stay resident in the VM for good.
/// When a check finds no activity since the check before, and activity since the last trim, the
/// trimmer runs one compacting collection and asks the kernel (<c>madvise(MADV_PAGEOUT)</c>, Linux 5.4+)
/// to reclaim the process's file-backed pages; pages shared with other processes stay, and whatever
/// the agent uses next faults back in. At most one trim per <see cref="MinimumInterval"/>, so a steady
/// trickle of commands does not page the agent in and out. docs/benchmarks.md (agent footprint) has the figures.
/// </summary>
public sealed class IdleMemoryTrimmer(IAgentLog log)
{
    /// <summary>How often the trimmer looks: the agent is idle when one such period passed without activity.</summary>
    public static readonly TimeSpan Quiet = TimeSpan.FromSeconds(1);

    /// <summary>The shortest time between two trims.</summary>
    public static readonly TimeSpan MinimumInterval = TimeSpan.FromMinutes(1);

    private long _activity;
    private long _seen;
    private long _trimmedAt;
    private DateTimeOffset? _lastTrim;
    private bool _unsupported;

    /// <summary>Something happened (a session started, a command started or finished): the pages it touched may be worth giving back.</summary>
    public void Active() => Interlocked.Increment(ref _activity);

    /// <summary>
    /// One check (the loop makes one per <see cref="Quiet"/>): true when no activity came since the check
    /// before, some came since the last trim, and that trim is at least <see cref="MinimumInterval"/> old;
    /// a true answer counts the trim as done at <paramref name="now"/>.
    /// </summary>
    public bool Due(DateTimeOffset now)
    {
        var activity = Interlocked.Read(ref _activity);
        var due = activity == _seen && activity != _trimmedAt && (_lastTrim is not { } last || now - last >= MinimumInterval);
        if (due)
        {
            _trimmedAt = activity;
            _lastTrim = now;
        }
        _seen = activity;
        return due;
    }

    /// <summary>Checks once per <see cref="Quiet"/> until <paramref name="ct"/> ends; trims when <see cref="Due"/>. Linux only.</summary>
    public async Task RunAsync(CancellationToken ct)
    {
        if (!OperatingSystem.IsLinux()) return;
        using var timer = new PeriodicTimer(Quiet);
        try
        {
            while (!_unsupported && await timer.WaitForNextTickAsync(ct).ConfigureAwait(false))
                if (Due(DateTimeOffset.UtcNow)) Trim();
        }
        catch (OperationCanceledException) { }
    }

    private void Trim()
    {
        var before = Environment.WorkingSet;
        var watch = Stopwatch.StartNew();
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        int pagedOut, errno;
        try
        {
            (pagedOut, errno) = PageOutFileMappings();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // no /proc (a hardened sandbox): the session goes on untrimmed
            _unsupported = true;
            log.Debug("idle memory trim stopped: {Error}", e.Message);
            return;
        }
        if (pagedOut == 0 && errno != 0)
        {
            // EINVAL: a kernel older than 5.4 (no MADV_PAGEOUT); nothing to gain by asking again
            _unsupported = true;
            log.Debug("idle memory trim stopped: madvise(MADV_PAGEOUT) failed with errno {Errno}", errno);
            return;
        }
        log.Debug("idle: resident memory went from {BeforeMiB} to {AfterMiB} MiB in {TrimMs} ms",
            Mebibytes(before), Mebibytes(Environment.WorkingSet), watch.ElapsedMilliseconds);
    }

    /// <summary>MADV_PAGEOUT over every file-backed mapping in /proc/self/maps: how many the kernel took, and the last errno of one it refused.</summary>
    private static (int PagedOut, int Errno) PageOutFileMappings()
    {
        var (pagedOut, errno) = (0, 0);
        foreach (var line in File.ReadLines("/proc/self/maps"))
        {
            if (!FileMapping.TryParse(line, out var start, out var length)) continue;
            if (Libc.Madvise(start, length, Libc.MadvPageOut) == 0) pagedOut++;
            else errno = Marshal.GetLastPInvokeError();
        }
        return (pagedOut, errno);
    }

    private static string Mebibytes(long bytes) => (bytes / 1048576.0).ToString("0.0", CultureInfo.InvariantCulture);
}
