using System.Security.Cryptography.X509Certificates;
using Agents.Security.Identity;

namespace Agents.RouterBridge.Core.Agents;

/// <summary>
/// Decides, after the TLS handshake accepted the chain, whether this certificate may hold a session
/// (revocation set, expiry policy). Null means yes; otherwise the reason, which is logged and sent.
/// </summary>
public delegate string? AgentAuthorizer(X509Certificate2 certificate, HolderIdentity holder);
