using System.Net;

namespace Agents.RouterBridge.Core.Agents;

/// <summary>What the bridge knows about one connected agent (for presence events and the snapshot).</summary>
public sealed record AgentPresence(
    string VmId,
    string CertificateSerial,
    DateTimeOffset CertificateNotAfter,
    EndPoint? RemoteEndPoint,
    string AgentVersion,
    IReadOnlyList<string> Capabilities,
    DateTimeOffset ConnectedAt,
    DateTimeOffset LastSeen);
