using System.Diagnostics;
using Agents.Contracts.Protocol;
using Agents.VmAgent.Core.Logging;

namespace Agents.VmAgent.Core.Journal;

/// <summary>
/// The durable record of processed command ids: an append-only log (<c>journal/commands.log</c>) with one
/// record when a command starts and one when its result is known, each on disk (fsync) before the agent
/// goes on. Concurrent commands share fsyncs: while one fsync runs, the appends that arrive wait, and the
/// next fsync serves them all (group commit). A redelivered id gets the stored result; a command that was
/// started but has no result (the agent died mid-way) is not run again. The log is rewritten with only
/// what <see cref="JournalOptions"/> keeps once it grows past a bound, atomically (temp file, rename).
/// A record cut short by a crash is ignored on replay. One journal per directory (one agent per data directory).
/// </summary>
public sealed class CommandJournal
{
    public const string LogName = "commands.log";

    private readonly string _path;
    private readonly JournalOptions _options;
    private readonly IAgentLog _log;
    private readonly Lock _gate = new();
    private readonly Dictionary<Guid, Entry> _entries = [];
    private List<PendingAppend> _queue = [];
    private bool _flushing;
    private long _length;
    private int _records;
    private int _killHookFired;

    public CommandJournal(string directory, JournalOptions? options = null, IAgentLog? log = null)
    {
        _options = options ?? JournalOptions.Default;
        _options.Validate();
        _log = log ?? NullAgentLog.Instance;
        Directory.CreateDirectory(directory);
        _path = Path.Combine(directory, LogName);
        File.Delete(JournalFile.TempPath(_path));
        if (File.Exists(_path)) Replay();
        else JournalFile.Create(_path);
        LegacyJournal.Import(directory, this);
    }

    /// <summary>Records in the log now (compaction brings it back down).</summary>
    public int RecordCount { get { lock (_gate) return _records; } }

    /// <summary>Bytes in the log now.</summary>
    public long Length { get { lock (_gate) return _length; } }

    /// <summary>Compactions since this journal was opened.</summary>
    public int Compactions { get; private set; }

    /// <summary>Appends made durable since this journal was opened, each fsync counted once however many records it covered.</summary>
    public int Syncs { get; private set; }

    public ResultFrame? Find(Guid commandId)
    {
        byte[] line;
        lock (_gate)
        {
            if (!_entries.TryGetValue(commandId, out var entry) || entry.Result is not { } at) return null;
            // under the gate: a compaction cannot move the record while it is read
            line = JournalFile.Read(_path, at.Offset, at.Length);
        }
        return JournalRecord.Decode(line.AsSpan(0, line.Length - 1))?.Result
            ?? throw new InvalidDataException($"the journal record of command {commandId} no longer reads back intact ({_path})");
    }

    public bool WasStarted(Guid commandId)
    {
        lock (_gate) return _entries.ContainsKey(commandId);
    }

    /// <summary>Durable before it returns, so a crash while the handler runs is remembered.</summary>
    public Task MarkStartedAsync(Guid commandId) => AppendAsync(JournalRecord.Started(commandId));

    /// <summary>Durable before it returns, so the result survives a restart before it leaves the agent.</summary>
    public Task RecordAsync(ResultFrame result)
    {
        ArgumentNullException.ThrowIfNull(result);
        return AppendAsync(JournalRecord.Finished(result));
    }

    internal Task AppendAsync(JournalRecord record)
    {
        var pending = new PendingAppend(record, record.Encode());
        bool lead;
        lock (_gate)
        {
            _queue.Add(pending);
            lead = !_flushing;
            _flushing = true;
        }
        // the first append finding no fsync under way starts the loop; the others ride on its next fsync
        if (lead) _ = Task.Run(FlushLoop);
        return pending.Done.Task;
    }

    private void FlushLoop()
    {
        while (true)
        {
            List<PendingAppend> batch;
            long offset;
            lock (_gate)
            {
                if (_queue.Count == 0)
                {
                    _flushing = false;
                    return;
                }
                batch = _queue;
                _queue = [];
                offset = _length;
            }
            try
            {
                JournalFile.Append(_path, batch.Select(p => (ReadOnlyMemory<byte>)p.Line).ToList(), offset, () => KillHook(batch));
                lock (_gate)
                {
                    Syncs++;
                    foreach (var pending in batch)
                    {
                        Index(pending.Record, offset, pending.Line.Length);
                        offset += pending.Line.Length;
                    }
                }
                foreach (var pending in batch) pending.Done.SetResult();
                if (NeedsCompaction()) Compact();
            }
#pragma warning disable CA1031 // every waiting command gets the failure; the loop goes on for the next batch
            catch (Exception e)
#pragma warning restore CA1031
            {
                _log.Error(e, "the journal could not append to {JournalPath}", _path);
                TryTruncate();
                foreach (var pending in batch) pending.Done.TrySetException(e);
            }
        }
    }

    private void Index(JournalRecord record, long offset, int length)
    {
        ref var entry = ref System.Runtime.InteropServices.CollectionsMarshal.GetValueRefOrAddDefault(_entries, record.CommandId, out _);
        if (record.IsStart) entry.Start = new Span(offset, length);
        else entry.Result = new Span(offset, length);
        _length = offset + length;
        _records++;
    }

    private bool NeedsCompaction()
    {
        lock (_gate) return _records > _options.CompactionFactor * _options.RetainedResults || _length > _options.CompactionFactor * _options.RetainedBytes;
    }

    /// <summary>Runs in the flush loop, so no append races it; readers wait on the gate only for the swap.</summary>
    private void Compact()
    {
        var watch = Stopwatch.StartNew();
        List<(Guid Id, Entry Entry)> all;
        lock (_gate) all = _entries.Select(e => (e.Key, e.Value)).ToList();

        // every unfinished command, then the newest results within the count and byte bounds
        var kept = new List<(Guid Id, Span At, bool IsResult)>();
        foreach (var (id, entry) in all)
            if (entry.Result is null && entry.Start is { } start) kept.Add((id, start, false));
        long bytes = 0;
        var results = 0;
        foreach (var (id, entry) in all.Where(e => e.Entry.Result is not null).OrderByDescending(e => e.Entry.Result!.Value.Offset))
        {
            var at = entry.Result!.Value;
            if (results >= _options.RetainedResults || (results > 0 && bytes + at.Length > _options.RetainedBytes)) break;
            kept.Add((id, at, true));
            bytes += at.Length;
            results++;
        }
        kept.Sort((a, b) => a.At.Offset.CompareTo(b.At.Offset));

        var lines = kept.Select(k => (ReadOnlyMemory<byte>)JournalFile.Read(_path, k.At.Offset, k.At.Length)).ToList();
        lock (_gate)
        {
            var before = (_records, _length);
            JournalFile.Replace(_path, lines);
            _entries.Clear();
            long offset = 0;
            foreach (var (id, at, isResult) in kept)
            {
                _entries[id] = isResult ? new Entry { Result = new Span(offset, at.Length) } : new Entry { Start = new Span(offset, at.Length) };
                offset += at.Length;
            }
            _length = offset;
            _records = kept.Count;
            Compactions++;
            _log.Info("journal compacted: {RecordsBefore} records ({BytesBefore} bytes) to {Records} ({Bytes} bytes) in {ElapsedMs} ms", before._records, before._length, _records, _length, watch.ElapsedMilliseconds);
        }
    }

    private void Replay()
    {
        var torn = 0;
        var end = JournalFile.Scan(_path, (line, offset, length) =>
        {
            if (JournalRecord.Decode(line) is { } record) Index(record, offset, length);
            else torn++;
        });
        var size = new FileInfo(_path).Length;
        if (end < size)
        {
            _log.Warn("journal {JournalPath}: the last record was cut short ({Bytes} bytes, a write the agent did not finish): ignored", _path, size - end);
            JournalFile.Truncate(_path, end);
        }
        if (torn > 0) _log.Warn("journal {JournalPath}: {Damaged} damaged record(s) ignored", _path, torn);
        _length = end;
    }

    private void TryTruncate()
    {
        try
        {
            long length;
            lock (_gate) length = _length;
            JournalFile.Truncate(_path, length);
        }
        catch (IOException)
        {
            // the next replay ignores a partial record anyway
        }
    }

    private void KillHook(List<PendingAppend> batch)
    {
        var state = _options.KillAfterAppend;
        if (state is null || !batch.Any(p => p.Record.IsStart == (state == "started"))) return;
        if (Interlocked.Exchange(ref _killHookFired, 1) == 0)
        {
            _log.Warn("{CrashHookVariable}={CrashHookState}: killing the agent after the append, before its fsync", JournalOptions.CrashHookVariable, state);
            using var self = Process.GetCurrentProcess();
            self.Kill();
            Thread.Sleep(Timeout.Infinite); // never reach the fsync, whatever the signal's delivery takes
        }
    }

    private readonly record struct Span(long Offset, int Length);

    private struct Entry
    {
        public Span? Start;
        public Span? Result;
    }

    private sealed record PendingAppend(JournalRecord Record, byte[] Line)
    {
        public TaskCompletionSource Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
