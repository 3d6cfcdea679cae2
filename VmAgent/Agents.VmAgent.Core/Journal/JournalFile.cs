using Agents.VmAgent.Core.Os;

namespace Agents.VmAgent.Core.Journal;

/// <summary>
/// The journal's file operations, without any bookkeeping: scan it line by line, append lines at a
/// known offset and fsync, read one line back, and replace it whole (temp file, fsync, rename, fsync
/// of the directory). The file is opened per call, so an idle agent holds no descriptor for it.
/// </summary>
internal static class JournalFile
{
    private const int ScanChunk = 64 * 1024;

    /// <summary>Creates the empty log and makes its name durable, so the first fsync'd append cannot vanish with it.</summary>
    public static void Create(string path)
    {
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.Read };
        if (!OperatingSystem.IsWindows()) options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        using (var stream = new FileStream(path, options)) stream.Flush(flushToDisk: true);
        if (!OperatingSystem.IsWindows()) Libc.SyncDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
    }

    /// <summary>Calls <paramref name="line"/> with every whole line (without its newline) and its offset and
    /// length (with it); returns where the last whole line ends: anything after it is a torn write.</summary>
    public static long Scan(string path, Action<ReadOnlySpan<byte>, long, int> line)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, bufferSize: 1, FileOptions.SequentialScan);
        var buffer = new byte[ScanChunk];
        long bufferOffset = 0;
        int start = 0, end = 0;
        while (true)
        {
            if (end == buffer.Length)
            {
                if (start == 0) Array.Resize(ref buffer, buffer.Length * 2); // one line longer than the buffer
                else
                {
                    buffer.AsSpan(start, end - start).CopyTo(buffer);
                    bufferOffset += start;
                    end -= start;
                    start = 0;
                }
            }
            var read = stream.Read(buffer, end, buffer.Length - end);
            if (read == 0) return bufferOffset + start;
            var scanFrom = end;
            end += read;
            int newline;
            while ((newline = buffer.AsSpan(scanFrom, end - scanFrom).IndexOf((byte)'\n')) >= 0)
            {
                var lineEnd = scanFrom + newline;
                line(buffer.AsSpan(start, lineEnd - start), bufferOffset + start, lineEnd - start + 1);
                start = scanFrom = lineEnd + 1;
            }
        }
    }

    /// <summary>Writes <paramref name="lines"/> at <paramref name="offset"/> in one call, then fsyncs; <paramref name="beforeSync"/> runs in between (the crash test's hook).</summary>
    public static void Append(string path, IReadOnlyList<ReadOnlyMemory<byte>> lines, long offset, Action? beforeSync = null)
    {
        using var handle = File.OpenHandle(path, FileMode.Open, FileAccess.Write, FileShare.Read);
        RandomAccess.Write(handle, lines, offset);
        beforeSync?.Invoke();
        RandomAccess.FlushToDisk(handle);
    }

    public static byte[] Read(string path, long offset, int length)
    {
        using var handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        var bytes = new byte[length];
        var read = 0;
        while (read < length)
        {
            var n = RandomAccess.Read(handle, bytes.AsSpan(read), offset + read);
            if (n == 0) throw new EndOfStreamException($"{path} ends before offset {offset + length}");
            read += n;
        }
        return bytes;
    }

    /// <summary>Cuts a torn tail off, durably, so the next append starts on a line of its own.</summary>
    public static void Truncate(string path, long length)
    {
        using var handle = File.OpenHandle(path, FileMode.Open, FileAccess.Write, FileShare.Read);
        RandomAccess.SetLength(handle, length);
        RandomAccess.FlushToDisk(handle);
    }

    /// <summary>Replaces the file atomically with <paramref name="lines"/> (the kept records of a compaction).</summary>
    public static void Replace(string path, IEnumerable<ReadOnlyMemory<byte>> lines)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(path))!;
        var temp = TempPath(path);
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write, Share = FileShare.None, BufferSize = 64 * 1024 };
        if (!OperatingSystem.IsWindows()) options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        using (var stream = new FileStream(temp, options))
        {
            foreach (var line in lines) stream.Write(line.Span);
            stream.Flush(flushToDisk: true);
        }
        File.Move(temp, path, overwrite: true);
        if (!OperatingSystem.IsWindows()) Libc.SyncDirectory(directory);
    }

    /// <summary>Where a compaction writes before its rename; one left by a crash is deleted on open.</summary>
    public static string TempPath(string path) => path + ".compacting";
}
