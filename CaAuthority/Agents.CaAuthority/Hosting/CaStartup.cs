using Agents.CaAuthority.Options;
using Agents.CaAuthority.Providers;
using Agents.CaAuthority.Revocation;
using Agents.CaAuthority.Store;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Agents.CaAuthority.Hosting;

/// <summary>
/// Runs before the request consumer and the HTTP server: loads (or creates) the root CA, opens the
/// inventory and signs a fresh CRL, so nothing is served from a half-started CA.
/// </summary>
public sealed class CaStartup(RootCaKeys ca, ICaStore store, CrlPublisher crl, IOptions<CaOptions> options, ILogger<CaStartup> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await crl.RebuildAsync(cancellationToken).ConfigureAwait(false);
        logger.LogInformation("CA {Issuer} ready: {Certificates} certificate(s) in the inventory, CRL {CrlNumber} at {CrlUrl}",
            ca.Certificate.Subject, await store.CountAsync(cancellationToken).ConfigureAwait(false), crl.Number,
            options.Value.EffectivePublicUrl + CaHttpEndpoints.CrlPath);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
