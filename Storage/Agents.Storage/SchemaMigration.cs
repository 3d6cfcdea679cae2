using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Agents.Storage;

/// <summary>Migrates one store when its service starts, before the hosted services registered after it.</summary>
public sealed class SchemaMigration(Database database, StoreSchema schema, ILoggerFactory loggers) : IHostedService
{
    private readonly ILogger _logger = loggers.CreateLogger<SchemaMigration>();

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await SchemaMigrator.MigrateAsync(database, schema, loggers, cancellationToken).ConfigureAwait(false);
        _logger.LogInformation("Store {Store} is at its newest schema in {Database} ({Provider})", schema.Name, database.Name, database.Provider);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
