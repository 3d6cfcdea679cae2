using FluentMigrator.Runner;
using FluentMigrator.Runner.Initialization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Agents.Storage;

/// <summary>
/// The one migration mechanism of every store: FluentMigrator, on either engine, under a
/// <see cref="MigrationLock"/>. A database made by the previous release (PRAGMA user_version or
/// schema_version) is adopted in place: each store's first migration creates only the tables
/// that are missing, and its rows stay.
/// </summary>
public static class SchemaMigrator
{
    private static readonly TimeSpan LockTimeout = TimeSpan.FromMinutes(2);

    /// <param name="upTo">The newest version to apply; all of them when null (tests stop early to upgrade a database of an older version).</param>
    public static async Task MigrateAsync(Database database, StoreSchema schema, ILoggerFactory? loggers = null, CancellationToken ct = default, long? upTo = null)
    {
        ArgumentNullException.ThrowIfNull(database);
        ArgumentNullException.ThrowIfNull(schema);
        await using var held = await MigrationLock.TakeAsync(database, schema, LockTimeout, ct).ConfigureAwait(false);
        await using (var connection = await database.OpenAsync(ct).ConfigureAwait(false))
        await using (var prepare = connection.Command(database.Dialect.PrepareDatabase))
            await prepare.ExecuteNonQueryAsync(ct).ConfigureAwait(false);

        await using var services = new ServiceCollection()
            .AddSingleton(loggers ?? NullLoggerFactory.Instance)
            .AddFluentMigratorCore()
            .ConfigureRunner(runner =>
            {
                if (database.Provider == StorageProvider.Sqlite) runner.AddSQLite();
                else runner.AddMySql5();
                runner.WithGlobalConnectionString(database.ConnectionString)
                    .WithVersionTable(new StoreVersionTable(schema))
                    .ScanIn(schema.Anchor.Assembly).For.Migrations();
            })
            .Configure<TypeFilterOptions>(filter =>
            {
                filter.Namespace = schema.Anchor.Namespace;
                filter.NestedNamespaces = false;
            })
            .BuildServiceProvider(validateScopes: false);
        using var scope = services.CreateScope();
        // FluentMigrator is synchronous; a start-up step, so the thread is ours to block
        var runner = scope.ServiceProvider.GetRequiredService<IMigrationRunner>();
        if (upTo is { } version) runner.MigrateUp(version);
        else runner.MigrateUp();
    }
}
