using System.Runtime.InteropServices;

namespace Agents.VmAgent.Core.Os;

/// <summary>The POSIX calls .NET does not expose: signalling a process group, chown, fsync of a directory, and madvise.</summary>
internal static partial class Libc
{
    public const int SigKill = 9;
    /// <summary>madvise: reclaim these pages now (Linux 5.4+; pages shared with other processes are left alone).</summary>
    public const int MadvPageOut = 21;
    private const int ReadOnly = 0;

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    public static partial int Kill(int pid, int signal);

    [LibraryImport("libc", EntryPoint = "chown", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int Chown(string path, int owner, int group);

    /// <summary>Makes a rename in <paramref name="directory"/> durable (the renamed file's own fsync does not cover its name).</summary>
    public static void SyncDirectory(string directory)
    {
        var fd = Open(directory, ReadOnly);
        if (fd < 0) throw new IOException($"cannot open {directory} to fsync it (errno {Marshal.GetLastPInvokeError()})");
        try
        {
            if (Fsync(fd) != 0) throw new IOException($"fsync of {directory} failed (errno {Marshal.GetLastPInvokeError()})");
        }
        finally
        {
            _ = Close(fd);
        }
    }

    [LibraryImport("libc", EntryPoint = "madvise", SetLastError = true)]
    public static partial int Madvise(nint address, nuint length, int advice);

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "fsync", SetLastError = true)]
    private static partial int Fsync(int fd);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    private static partial int Close(int fd);
}
