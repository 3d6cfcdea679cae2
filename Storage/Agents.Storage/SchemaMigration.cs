using System.Globalization;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Agents.Storage;

/// <summary>Migrates one store when its service starts, before the hosted services registered after it.</summary>
public sealed class SchemaMigration(Database database, StoreSchema schema, ILogger<SchemaMigration> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await SchemaMigrator.MigrateAsync(database, schema, ct: cancellationToken).ConfigureAwait(false);
        var version = Convert.ToInt64(await database.ScalarAsync($"SELECT COALESCE(MAX(version), 0) FROM {schema.VersionTable}").ConfigureAwait(false),
            CultureInfo.InvariantCulture);
        logger.LogInformation("Store {Store} is at schema version {Version} in {Database} ({Provider})", schema.Name, version, database.Name, database.Provider);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
