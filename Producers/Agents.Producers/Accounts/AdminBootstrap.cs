using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Agents.Producers.Accounts;

/// <summary>Stores the admin key pair given in configuration (Producers:Bootstrap), so the first signed call works.</summary>
public sealed class AdminBootstrap(IOptions<ProducersOptions> options, IAccountStore accounts, ILogger<AdminBootstrap> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var b = options.Value.Bootstrap;
        if (string.IsNullOrEmpty(b.AdminApiKey) || string.IsNullOrEmpty(b.AdminSecretKey)) return;
        await accounts.EnsureKeysAsync(b.AdminAccount, Role.Admin, new ApiKeyPair(b.AdminApiKey, b.AdminSecretKey), cancellationToken).ConfigureAwait(false);
        logger.LogInformation("Admin account {Account} has its bootstrap API key", b.AdminAccount);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
