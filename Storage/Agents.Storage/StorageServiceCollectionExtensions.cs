using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Agents.Storage;

public static class StorageServiceCollectionExtensions
{
    /// <summary>The <c>Storage</c> section (engine, connection string), validated at start.</summary>
    public static IServiceCollection AddStorage(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<StorageOptions>()
            .Bind(configuration.GetSection(StorageOptions.Section))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        return services;
    }

    /// <summary>Migrates <paramref name="schema"/> in <paramref name="database"/> at start, in the order hosted services are added; the store is a readiness check.</summary>
    public static IServiceCollection AddSchemaMigration(this IServiceCollection services, StoreSchema schema, Func<IServiceProvider, Database> database)
    {
        services.AddHealthChecks().Add(new HealthCheckRegistration("store:" + schema.Name, sp => new StoreHealthCheck(database(sp)),
            HealthStatus.Unhealthy, [StoreHealthCheck.ReadyTag]));
        // not AddHostedService: it keeps one factory registration per type, and a service may have several stores
        return services.AddSingleton<IHostedService>(sp => new SchemaMigration(database(sp), schema, sp.GetRequiredService<ILogger<SchemaMigration>>()));
    }

    /// <summary>The database of one store: <paramref name="sqlitePath"/> with SQLite, the shared one with MySql.</summary>
    public static Database OpenDatabase(this IServiceProvider services, string sqlitePath) =>
        services.GetRequiredService<IOptions<StorageOptions>>().Value.Open(sqlitePath);
}
