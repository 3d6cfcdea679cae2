using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace Agents.ReliabilityTests.Support;

/// <summary>
/// A TCP hop between an agent and its bridge that the test can cut: <see cref="Drop"/> resets
/// every connection through it at once, as a network failure would (the bytes of TLS pass
/// through untouched). New connections are still accepted afterwards.
/// </summary>
public sealed class TcpRelay : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly ConcurrentDictionary<Guid, (Socket Inner, Socket Outer)> _pairs = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _accepting;
    private readonly int _target;

    public TcpRelay(int targetPort)
    {
        _target = targetPort;
        _listener.Start();
        _accepting = AcceptAsync();
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;
    public int Open => _pairs.Count;
    public int Accepted { get; private set; }

    /// <summary>Resets every connection through the relay (RST both ways); returns how many.</summary>
    public int Drop()
    {
        var dropped = 0;
        foreach (var (id, pair) in _pairs)
        {
            if (!_pairs.TryRemove(id, out _)) continue;
            Reset(pair.Inner);
            Reset(pair.Outer);
            dropped++;
        }
        return dropped;
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket inner;
            try { inner = await _listener.AcceptSocketAsync(_stop.Token); }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException) { return; }
            Accepted++;
            _ = RelayAsync(inner);
        }
    }

    private async Task RelayAsync(Socket inner)
    {
        var outer = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        try { await outer.ConnectAsync(IPAddress.Loopback, _target, _stop.Token); }
        catch (Exception e) when (e is OperationCanceledException or SocketException) { Reset(inner); outer.Dispose(); return; }
        var id = Guid.NewGuid();
        _pairs[id] = (inner, outer);
        await Task.WhenAny(PumpAsync(inner, outer), PumpAsync(outer, inner));
        if (_pairs.TryRemove(id, out _)) { Reset(inner); Reset(outer); }
    }

    private async Task PumpAsync(Socket from, Socket to)
    {
        var buffer = new byte[16 * 1024];
        try
        {
            while (true)
            {
                var read = await from.ReceiveAsync(buffer, SocketFlags.None, _stop.Token);
                if (read == 0) return;
                await to.SendAsync(buffer.AsMemory(0, read), SocketFlags.None, _stop.Token);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException) { }
    }

    private static void Reset(Socket socket)
    {
        try { socket.LingerState = new LingerOption(true, 0); socket.Close(); }
        catch (Exception e) when (e is SocketException or ObjectDisposedException) { }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        Drop();
        await _accepting;
        _stop.Dispose();
    }
}
