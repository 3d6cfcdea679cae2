using System.Net;
using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using Agents.RouterBridge.Core.Agents;
using Agents.Security.Identity;
using Microsoft.Extensions.Logging;

namespace Agents.VmAgent.Tests.Support;

/// <summary>A real agent listener on loopback with the test CA's router certificate.</summary>
public sealed class Bridge : IAsyncDisposable
{
    public Bridge(TestPki pki, AgentListenerOptions? options = null, AgentAuthorizer? authorize = null)
    {
        Pki = pki;
        Relay = new FakeEnrollmentRelay(pki);
        Log = new TestLog("bridge");
        Registry = new AgentRegistry(new Logger<AgentRegistry>(Log));
        RouterCertificate = pki.IssueWithKey(HolderIdentity.Router("r-1"));
        var tls = new SslServerAuthenticationOptions
        {
            ServerCertificateContext = SslStreamCertificateContext.Create(RouterCertificate, null, offline: true),
            ClientCertificateRequired = true,
            EnabledSslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13,
            CertificateRevocationCheckMode = X509RevocationMode.NoCheck,
            // no certificate: allowed through, the listener lets it only enroll
            RemoteCertificateValidationCallback = (_, cert, _, _) => cert is null || pki.ChainsToRoot(cert as X509Certificate2 ?? X509CertificateLoader.LoadCertificate(cert.GetRawCertData())),
        };
        Listener = new AgentListener(
            options ?? new AgentListenerOptions { Port = 0, HandshakeTimeout = TimeSpan.FromSeconds(3) },
            tls, authorize ?? ((_, _) => null), Relay, Registry, Log);
        Listener.Start();
    }

    public TestPki Pki { get; }
    public FakeEnrollmentRelay Relay { get; }
    public TestLog Log { get; }
    public AgentRegistry Registry { get; }
    public AgentListener Listener { get; }
    public X509Certificate2 RouterCertificate { get; }
    public int Port => Listener.LocalEndPoint.Port;
    public IPEndPoint Loopback => new(IPAddress.Loopback, Port);

    public async ValueTask DisposeAsync()
    {
        await Listener.DisposeAsync();
        RouterCertificate.Dispose();
    }
}
