using System.Runtime.InteropServices;

namespace Agents.VmAgent.Core.Os;

/// <summary>The two POSIX calls .NET does not expose: signalling a process group and chown.</summary>
internal static partial class Libc
{
    public const int SigKill = 9;

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    public static partial int Kill(int pid, int signal);

    [LibraryImport("libc", EntryPoint = "chown", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int Chown(string path, int owner, int group);
}
