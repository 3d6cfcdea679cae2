using Agents.Messaging.Scheduling;
using Agents.Messaging.Health;
using Agents.CaAuthority.Expiry;
using Agents.CaAuthority.Hosting;
using Agents.CaAuthority.Issuance;
using Agents.CaAuthority.Options;
using Agents.CaAuthority.Providers;
using Agents.CaAuthority.Provisioning;
using Agents.CaAuthority.Revocation;
using Agents.CaAuthority.Settings;
using Agents.CaAuthority.Store;
using Agents.Contracts;
using Agents.Messaging;
using Agents.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Agents.CaAuthority;

public static class CaAuthorityServiceCollectionExtensions
{
    /// <summary>
    /// The CA service: settings (validated at start), the broker connection (section <c>RabbitMq</c>),
    /// the root provider, the inventory (Storage: SQLite or MariaDB), the <c>ca.requests</c> consumer and the expiry scan.
    /// Map its HTTP endpoints with <see cref="CaHttpEndpoints.MapCaEndpoints"/>.
    /// </summary>
    public static IServiceCollection AddCaAuthority(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<CaOptions>()
            .Bind(configuration.GetSection(CaOptions.Section))
            // CloudStack's names (ca.framework.*, ca.plugin.root.*) are top-level keys
            .Configure(o => CloudStackSettings.Bind(configuration, o))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddRabbitMqMessaging(configuration);
        services.AddAgentsHealth().AddCertificateCheck("ca-certificate", sp => sp.GetRequiredService<RootCaKeys>().Certificate);

        services.AddSingleton(sp => RootCaKeys.LoadOrCreate(
            sp.GetRequiredService<IOptions<CaOptions>>().Value, sp.GetRequiredService<ILogger<RootCaKeys>>()));
        // SQLite: {DataDirectory}/ca.db; MariaDB: the shared database (Storage:ConnectionString)
        services.AddStorage(configuration);
        services.AddSingleton(sp => new SqlCaStore(sp.OpenDatabase(Path.Combine(sp.GetRequiredService<IOptions<CaOptions>>().Value.DataDirectory, "ca.db"))));
        services.AddSingleton<ICaStore>(sp => sp.GetRequiredService<SqlCaStore>());
        services.AddSingleton<CertificateIssuer>();
        services.AddSingleton<CrlPublisher>();
                services.AddSingleton<ICaProvider, RootCaProvider>();
        services.AddSingleton<CertificateProvisioner>();
        services.AddSingleton<ExpiryScan>();
        services.AddSingleton<CallerPolicy>();
        services.AddMetrics();
        services.AddSingleton<Telemetry.CaMetrics>();
        services.AddHostedService(sp => sp.GetRequiredService<Telemetry.CaMetrics>());

        // order matters: the inventory migrated, the CA loaded and its CRL signed before any request is taken
        services.AddSchemaMigration(SqlCaStore.Schema, sp => sp.GetRequiredService<SqlCaStore>().Database);
        services.AddHostedService<CaStartup>();
        services.AddRequestServer<CaRequestHandler>(Topology.CaRequestsQueue,
            QueueDeclaration.Quorum(Topology.CaRequestsQueue, Topology.EventsExchange));
        var instance = (configuration.GetSection(CaOptions.Section).Get<CaOptions>() ?? new CaOptions()).EffectiveInstanceName;
        services.AddQueueConsumer<CaSettingsWatcher>(CaSettingsWatcher.QueueFor(instance), CaSettingsWatcher.Declare(instance));
        services.AddHostedService<CaSchedules>();
        services.AddAgentsQuartz("ca", 1);
        return services;
    }
}
