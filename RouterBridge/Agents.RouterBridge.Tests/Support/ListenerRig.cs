using System.Collections.Concurrent;
using System.Net;
using Agents.Messaging;
using Agents.Messaging.Rpc;
using Agents.RouterBridge.Core.Agents;
using Agents.RouterBridge.Hosting;
using Agents.RouterBridge.Identity;
using Agents.Security.Identity;
using Agents.Security.Tls;
using Agents.Testing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Agents.RouterBridge.Tests.Support;

/// <summary>
/// The bridge's agent listener wired as the bridge's Program wires it: the router identity loaded
/// from its data directory, the bridge's AgentTls (the mutual-TLS kit with Bridge:AuthStrictness and
/// Bridge:AllowExpiredCertificates, its revoked set, its authorizer) and the real AgentListener on
/// loopback. Only the CA behind enrollment is the test PKI.
/// </summary>
public sealed class ListenerRig : IAsyncDisposable
{
    private ListenerRig(TestPki pki, BridgeOptions options, RouterIdentity identity)
    {
        Identity = identity;
        Tls = new AgentTls(Options.Create(options), identity);
        Relay = new FakeEnrollmentRelay(pki);
        Log = new TestLog("bridge");
        Registry = new AgentRegistry(new Logger<AgentRegistry>(Log));
        var listenerOptions = BridgeService.ListenerOptions(options, Tls);
        Listener = new AgentListener(
            new AgentListenerOptions
            {
                Address = listenerOptions.Address, Port = 0, HandshakeTimeout = TimeSpan.FromSeconds(5),
                EnrollmentRateLimit = listenerOptions.EnrollmentRateLimit, Strict = listenerOptions.Strict,
            },
            Tls.ServerOptions(), Tls.Authorize, Relay, Registry, Log);
        Listener.ConnectionRefused += (refusal, _) => Refusals.Enqueue(refusal);
        Listener.Start();
    }

    public RouterIdentity Identity { get; }
    public AgentTls Tls { get; }
    public FakeEnrollmentRelay Relay { get; }
    public TestLog Log { get; }
    public AgentRegistry Registry { get; }
    public AgentListener Listener { get; }
    /// <summary>Every ConnectionRefused the listener raised (what the bridge turns into AGENT.CONNECTION.REFUSE events).</summary>
    public ConcurrentQueue<PeerRefusal> Refusals { get; } = new();
    public int Port => Listener.LocalEndPoint.Port;

    /// <summary>A router whose certificate (from <paramref name="pki"/>) is already in <paramref name="dataDirectory"/>, as after enrollment.</summary>
    public static async Task<ListenerRig> StartAsync(TestPki pki, string dataDirectory, bool strict, bool allowExpired = false, int enrollmentRateLimit = 60)
    {
        const string routerId = "router-under-test";
        pki.EnrollRouter(dataDirectory, routerId);
        var options = new BridgeOptions
        {
            RouterId = routerId,
            ListenAddress = IPAddress.Loopback.ToString(),
            DataDirectory = dataDirectory,
            AuthStrictness = strict,
            AllowExpiredCertificates = allowExpired,
            EnrollmentRateLimit = enrollmentRateLimit,
        };
        // the identity only loads its files here: it never asks the CA
        var identity = new RouterIdentity(Options.Create(options), new NoCa(), NullLogger<RouterIdentity>.Instance);
        await identity.EnsureAsync(CancellationToken.None);
        return new ListenerRig(pki, options, identity);
    }

    public async ValueTask DisposeAsync()
    {
        await Listener.DisposeAsync();
    }

    /// <summary>The CA of a rig whose router is enrolled already: asking it is a bug of the test.</summary>
    private sealed class NoCa : IRequestClient
    {
        public Task<RpcReply> CallAsync(string queue, string type, object request, TimeSpan timeout, CancellationToken ct = default) =>
            throw new InvalidOperationException($"the listener rig has no CA: {type} on {queue}");
    }
}
