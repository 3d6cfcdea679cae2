using System.Runtime.InteropServices;

namespace Agents.VmAgent.Core.Identity;

/// <summary>
/// The agent trusts exactly one root (<see cref="TrustAnchor"/>) and never the OS store, but .NET's
/// OpenSSL layer loads the whole OS store (on Debian ~140 roots from <c>/etc/ssl/certs</c>, about
/// 70 ms) the first time it builds any chain, even a custom-root one, as its pool of intermediates.
/// Pointing OpenSSL's default store at the agent's own CA file before the first chain build skips
/// that load: start to connected fell from 125-139 ms to 50-56 ms (docs/benchmarks.md, agent footprint).
/// Trust decisions do not change (they use <see cref="TrustAnchor"/>'s custom root). Recipes do not
/// inherit it: they run with an environment of their own (RecipeRunner).
/// </summary>
public static partial class SystemTrustStore
{
    /// <summary>Where .NET's OpenSSL layer looks for the OS store (read with the C library's getenv, so set with setenv).</summary>
    public const string FileVariable = "SSL_CERT_FILE";
    public const string DirectoryVariable = "SSL_CERT_DIR";

    /// <summary>On Linux, before any certificate chain is built: the OS store becomes <paramref name="caFile"/> alone. Elsewhere nothing.</summary>
    public static void ReplaceWith(string caFile)
    {
        ArgumentException.ThrowIfNullOrEmpty(caFile);
        if (!OperatingSystem.IsLinux()) return;
        Set(FileVariable, Path.GetFullPath(caFile));
        // a directory that cannot exist ("/dev/null" is a file): no hashed certificate directory to scan
        Set(DirectoryVariable, "/dev/null/agents-no-os-store");
    }

    /// <summary>The C library's view of a variable (what OpenSSL reads), not .NET's cached copy.</summary>
    public static string? Native(string name) => Marshal.PtrToStringUTF8(GetEnv(name));

    private static void Set(string name, string value)
    {
        if (SetEnv(name, value, overwrite: 1) != 0)
            throw new InvalidOperationException($"setenv {name} failed (errno {Marshal.GetLastPInvokeError()})");
    }

    [LibraryImport("libc", EntryPoint = "setenv", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int SetEnv(string name, string value, int overwrite);

    [LibraryImport("libc", EntryPoint = "getenv", StringMarshalling = StringMarshalling.Utf8)]
    private static partial IntPtr GetEnv(string name);
}
