using Agents.RouterBridge.Core.Agents;
using Agents.RouterBridge.Hosting;
using Agents.RouterBridge.Identity;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Quartz;

namespace Agents.RouterBridge.Revocation;

/// <summary>
/// Loads the CA's CRL into the bridge's own revocation set, at start and every
/// <c>Bridge:CrlRefreshSeconds</c>: a revocation whose event this bridge missed (it was down)
/// still takes effect. Only a CRL whose signature verifies against our CA is taken.
/// </summary>
[DisallowConcurrentExecution]
public sealed class CrlRefreshJob(IOptions<BridgeOptions> options, AgentTls tls, RouterIdentity identity, AgentRegistry agents,
    ILogger<CrlRefreshJob> logger) : IJob
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(15) };

    public async Task Execute(IJobExecutionContext context)
    {
        if (options.Value.CrlUrl is not { } url) return;
        try
        {
            var der = await Http.GetByteArrayAsync(new Uri(url), context.CancellationToken).ConfigureAwait(false);
            var before = tls.RevokedCount;
            var number = tls.Revoked.Load(der, identity.CaCertificate);
            var added = tls.RevokedCount - before;
            if (added > 0)
            {
                foreach (var presence in agents.Snapshot())
                    if (tls.IsRevoked(presence.CertificateSerial))
                        agents.Disconnect(presence.CertificateSerial, "certificate revoked (CRL)");
            }
            logger.LogInformation("CRL {Number} from {Url}: {Added} new revoked serial(s), {Total} in all", number, url, added, tls.RevokedCount);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or System.Security.Cryptography.CryptographicException or InvalidOperationException)
        {
            logger.LogWarning("CRL from {Url} not loaded, revocation events still apply: {Error}", url, e.Message);
        }
    }
}
