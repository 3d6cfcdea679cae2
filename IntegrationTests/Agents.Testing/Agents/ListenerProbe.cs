using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using Agents.Contracts.Protocol;

namespace Agents.Testing;

/// <summary>Connects to an agent listener over real TLS, sends one first frame, and says what the bridge did with it.</summary>
public static class ListenerProbe
{
    public const string Session = "session";
    public const string Enrolled = "enrolled";
    public const string Refused = "refused";

    /// <summary>
    /// <see cref="Session"/>: the hello was taken and a heartbeat is echoed; <see cref="Enrolled"/>:
    /// a certificate came back (<paramref name="registered"/>, when given, must hold while the connection is open); otherwise <see cref="Refused"/> (handshake failed, error frame, or closed).
    /// </summary>
    public static async Task<(string Outcome, string Detail)> TryAsync(int port, X509Certificate2? certificate, Frame first, Func<bool>? registered = null)
    {
        var codec = new FrameCodec();
        SslStream? ssl = null;
        try
        {
            ssl = await RawTls.ConnectAsync(port, certificate).WaitAsync(TimeSpan.FromSeconds(10));
            await codec.WriteAsync(ssl, first, default).AsTask().WaitAsync(TimeSpan.FromSeconds(10));
            if (first is HelloFrame) await codec.WriteAsync(ssl, new HeartbeatFrame(DateTimeOffset.UtcNow), default).AsTask().WaitAsync(TimeSpan.FromSeconds(10));
            var answer = await codec.ReadAsync(ssl, default).AsTask().WaitAsync(TimeSpan.FromSeconds(10));
            return answer switch
            {
                // asked while the connection is still open: the bridge must hold the session in its registry
                HeartbeatFrame when registered?.Invoke() == false => (Refused, "heartbeat echoed but no session in the registry"),
                HeartbeatFrame => (Session, "heartbeat echoed"),
                EnrolledFrame enrolled => (Enrolled, enrolled.CertificatePem),
                ErrorFrame error => (Refused, error.Reason),
                EnrollRefusedFrame refusal => (Refused, refusal.Reason),
                null => (Refused, "closed by the bridge"),
                _ => (Refused, $"unexpected {answer.GetType().Name}"),
            };
        }
        catch (Exception e) when (e is AuthenticationException or IOException or ObjectDisposedException or FrameException)
        {
            return (Refused, $"{e.GetType().Name}: {e.Message}");
        }
        finally
        {
            if (ssl is not null) await ssl.DisposeAsync();
        }
    }
}
