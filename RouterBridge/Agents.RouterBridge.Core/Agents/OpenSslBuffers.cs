using System.Net.Security;
using System.Reflection;
using System.Runtime.InteropServices;

namespace Agents.RouterBridge.Core.Agents;

/// <summary>
/// Lets OpenSSL free a connection's record buffers while it is idle (<c>SSL_MODE_RELEASE_BUFFERS</c>,
/// what nginx and Python's ssl module set). .NET's SslStream on Linux keeps OpenSSL's read and write
/// buffers (about 16 KiB each) for a connection's whole life and has no option for the mode; with
/// 10,000 idle agents that is most of the bridge's memory per agent (docs/benchmarks.md). The mode
/// is set on the connection's SSL object and on the SSL_CTX it came from (so later connections start
/// with it, their handshakes included), during the handshake, from the certificate check.
/// It only changes when OpenSSL allocates; records, keys and checks are untouched. Where it cannot
/// apply (not Linux, not OpenSSL 3, a runtime whose internals differ) it does nothing and says so.
/// </summary>
public static partial class OpenSslBuffers
{
    private const int SslCtrlMode = 33;
    private const nint SslModeReleaseBuffers = 0x10;
    private const string LibSsl = "libssl.so.3";

    private static readonly FieldInfo? SecurityContext = typeof(SslStream).GetField("_securityContext", BindingFlags.Instance | BindingFlags.NonPublic);
    private static readonly Lazy<bool> Usable = new(() => OperatingSystem.IsLinux() && SecurityContext is not null && LibSslIsTheOneLoaded());

    /// <summary>Sets the mode on the stream's OpenSSL session (once its handshake has begun). False when it could not.</summary>
    public static bool Release(SslStream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        if (!Usable.Value) return false;
        if (SecurityContext!.GetValue(stream) is not SafeHandle ssl || ssl.GetType().FullName != "Microsoft.Win32.SafeHandles.SafeSslHandle") return false;
        var added = false;
        try
        {
            ssl.DangerousAddRef(ref added);
            if (ssl.IsInvalid) return false;
            var mode = SslCtrl(ssl.DangerousGetHandle(), SslCtrlMode, SslModeReleaseBuffers, IntPtr.Zero);
            if (ssl.GetType().GetField("SslContextHandle", BindingFlags.Instance | BindingFlags.NonPublic | BindingFlags.Public)?.GetValue(ssl) is SafeHandle { IsInvalid: false, IsClosed: false } context)
                SetContextMode(context);
            return (mode & SslModeReleaseBuffers) != 0;
        }
        catch (ObjectDisposedException)
        {
            return false;
        }
        finally
        {
            if (added) ssl.DangerousRelease();
        }
    }

    private static void SetContextMode(SafeHandle context)
    {
        var added = false;
        try
        {
            context.DangerousAddRef(ref added);
            SslContextCtrl(context.DangerousGetHandle(), SslCtrlMode, SslModeReleaseBuffers, IntPtr.Zero);
        }
        finally
        {
            if (added) context.DangerousRelease();
        }
    }

    /// <summary>Only when the process's OpenSSL is libssl.so.3 (the one .NET loaded), never a second copy of another version.</summary>
    private static bool LibSslIsTheOneLoaded()
    {
        try
        {
            var maps = File.ReadAllText("/proc/self/maps");
            return maps.Contains("/" + LibSsl, StringComparison.Ordinal) && !maps.Contains("/libssl.so.1", StringComparison.Ordinal);
        }
        catch (IOException)
        {
            return false;
        }
    }

    [LibraryImport(LibSsl, EntryPoint = "SSL_ctrl")]
    private static partial nint SslCtrl(IntPtr ssl, int command, nint argument, IntPtr pointer);

    [LibraryImport(LibSsl, EntryPoint = "SSL_CTX_ctrl")]
    private static partial nint SslContextCtrl(IntPtr context, int command, nint argument, IntPtr pointer);
}
