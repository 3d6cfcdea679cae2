using System.Net.Sockets;
using Yarp.ReverseProxy.Forwarder;

namespace Agents.Front;

/// <summary>Whether a proxied request failed before it reached its instance: no connection could be made (refused, unreachable), so nothing of it was sent.</summary>
public static class RefusedConnection
{
    public static bool NeverReached(IForwarderErrorFeature? error)
    {
        if (error is not { Error: ForwarderError.Request }) return false;
        for (var e = error.Exception; e is not null; e = e.InnerException)
        {
            if (e is HttpRequestException { HttpRequestError: HttpRequestError.ConnectionError }) return true;
            if (e is SocketException { SocketErrorCode: SocketError.ConnectionRefused or SocketError.HostUnreachable or SocketError.NetworkUnreachable }) return true;
        }
        return false;
    }
}
