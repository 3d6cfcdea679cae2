using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Agents.Testing;

/// <summary>
/// Ports for the servers a test starts. Test assemblies run in parallel, each starting brokers and
/// services on ports chosen before the server binds them, so two rules keep a chosen port free until
/// then: it lies below the kernel's ephemeral range (Linux: 32768-60999), where no outgoing
/// connection can take it meanwhile (an OS-chosen port, bind to 0, can be, and was: a console
/// stack failed on "address already in use" in CI); and it is reserved across processes by a file
/// created exclusively in <see cref="ReservationDirectory"/>, removed when the test process exits
/// (a crashed run's reservations expire after <see cref="ReservationLifetime"/>).
/// </summary>
public static class FreePort
{
    public const int First = 20000;
    public const int Last = 32000;
    public static readonly TimeSpan ReservationLifetime = TimeSpan.FromHours(2);
    public static string ReservationDirectory { get; } = Path.Combine(Path.GetTempPath(), "agents-test-ports");

    private static readonly List<string> Reserved = [];

    static FreePort() => AppDomain.CurrentDomain.ProcessExit += (_, _) => Release();

    /// <summary>A TCP port nothing listens on right now, reserved for this test process.</summary>
    public static int Next()
    {
        Directory.CreateDirectory(ReservationDirectory);
        for (var attempt = 0; attempt < 4 * (Last - First); attempt++)
        {
            var port = Random.Shared.Next(First, Last);
            if (!TryReserve(port)) continue;
            if (IsFree(port)) return port;
        }
        throw new InvalidOperationException($"no free TCP port between {First} and {Last} (reservations in {ReservationDirectory})");
    }

    private static bool TryReserve(int port)
    {
        var path = Path.Combine(ReservationDirectory, port.ToString(CultureInfo.InvariantCulture));
        try
        {
            if (File.Exists(path) && DateTime.UtcNow - File.GetLastWriteTimeUtc(path) > ReservationLifetime)
                File.Delete(path);
            using (new FileStream(path, FileMode.CreateNew, FileAccess.Write)) { }
        }
        catch (IOException)
        {
            return false; // another test process holds it
        }
        lock (Reserved) Reserved.Add(path);
        return true;
    }

    /// <summary>Free on every address a service may bind: loopback, IPv4 any and (where there is IPv6) any.</summary>
    private static bool IsFree(int port)
    {
        IPAddress[] addresses = Socket.OSSupportsIPv6 ? [IPAddress.Loopback, IPAddress.Any, IPAddress.IPv6Any] : [IPAddress.Loopback, IPAddress.Any];
        foreach (var address in addresses)
        {
            try
            {
                using var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
                if (address.AddressFamily == AddressFamily.InterNetworkV6) socket.DualMode = false;
                socket.Bind(new IPEndPoint(address, port));
                socket.Listen();
            }
            catch (SocketException)
            {
                return false;
            }
        }
        return true;
    }

    private static void Release()
    {
        lock (Reserved)
        {
            foreach (var path in Reserved)
                try { File.Delete(path); } catch (IOException) { } catch (UnauthorizedAccessException) { }
            Reserved.Clear();
        }
    }
}
