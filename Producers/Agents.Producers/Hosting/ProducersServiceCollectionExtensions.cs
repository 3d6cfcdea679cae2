using Agents.Messaging.Scheduling;
using Agents.Messaging.Health;
using Agents.Messaging;
using Agents.Producers.Accounts;
using Agents.Producers.FirstBoot;
using Agents.Producers.Api;
using Agents.Producers.Handlers.Accounts;
using Agents.Producers.Handlers.Certificates;
using Agents.Producers.Handlers.Configuration;
using Agents.Producers.Handlers.Discovery;
using Agents.Producers.Handlers.Events;
using Agents.Producers.Handlers.Jobs;
using Agents.Producers.Handlers.Recipes;
using Agents.Producers.Handlers.Routers;
using Agents.Producers.Handlers.Sessions;
using Agents.Producers.Handlers.SshKeys;
using Agents.Producers.Handlers.SystemVms;
using Agents.Producers.Handlers.VirtualMachines;
using Agents.Producers.Inventory;
using Agents.Producers.Jobs;
using Agents.Producers.Presence;
using Agents.Producers.Sessions;
using Agents.Producers.Settings;
using Agents.Producers.SshKeys;
using Agents.Producers.Storage;
using Agents.Storage;
using Microsoft.Extensions.Options;

namespace Agents.Producers.Hosting;

public static class ProducersServiceCollectionExtensions
{
    /// <summary>Options, stores, the job engine, the API commands and the bus consumers of the API service.</summary>
    public static IServiceCollection AddAgentsProducers(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<ProducersOptions>()
            .Bind(configuration.GetSection(ProducersOptions.Section))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddRabbitMqMessaging(configuration);
        services.AddAgentsHealth();
        services.AddSingleton(TimeProvider.System);

        services.AddStorage(configuration);
        services.AddSingleton(sp => sp.OpenDatabase(sp.GetRequiredService<IOptions<ProducersOptions>>().Value.DatabasePath));
        services.AddSingleton<SecretBox>();
        services.AddSingleton<IAccountStore, SqlAccountStore>();
        services.AddSingleton<IVmInventory, SqlVmInventory>();
        services.AddSingleton<ISshKeyPairStore, SqlSshKeyPairStore>();
        services.AddSingleton<IJobStore, SqlJobStore>();
        services.AddSingleton<Cluster.IJobLeaseStore, Cluster.SqlJobLeaseStore>();
        services.AddSingleton<Cluster.ManagementServer>();
        services.AddSingleton<Cluster.JobLeases>();
        services.AddSingleton<IAgentDirectory, SqlAgentDirectory>();

        services.AddMetrics();
        services.AddSingleton<Telemetry.ProducersMetrics>();
        services.AddSingleton<JobEvents>();
        services.AddSingleton<PasswordSealer>();
        services.AddSingleton<JobEngine>();
        services.AddSingleton<JobLauncher>();
        services.AddSingleton<QuartzSchedules>();
        services.AddSingleton<IRetryScheduler>(sp => sp.GetRequiredService<QuartzSchedules>());

        services.AddSingleton<RequestAuthenticator>();
        services.AddSingleton<RefusalAudit>();
        services.AddSingleton<ApiRegistry>();
        services.AddHttpContextAccessor();
        services.AddSingleton<SessionStore>();
        services.AddSingleton<LoginThrottle>();
        services.AddSingleton<ISettingsStore, SqlSettingsStore>();
        services.AddSingleton<ProvisioningSettings>();
        services.AddSingleton<CurrentSettings>();
        services.AddSingleton<VmAccess>();
        services.AddSingleton<FreshHealthChecks>();
        services.AddSingleton<JobAccess>();
        services.AddSingleton<CaClient>();
        services.AddSingleton<HolderCertificates>();
        services.AddSingleton<AuditLog>();
        AddHandlers(services);
        services.AddFirstBootRecipes(configuration);

        // start order: schema, admin keys, schedules (and recovery of unfinished jobs), then the consumers
        services.AddSchemaMigration(ProducersSchema.Schema, sp => sp.GetRequiredService<Database>());
        services.AddHostedService<AdminBootstrap>();
        services.AddHostedService(sp => sp.GetRequiredService<ProvisioningSettings>());
        services.AddHostedService(sp => sp.GetRequiredService<QuartzSchedules>());
        services.AddHostedService<JobSweeper>();
        services.AddHostedService<Cluster.JobLeaseKeeper>();
        services.AddAgentsQuartz("producers", 4);
        services.AddQueueConsumer<OutcomeHandler>(OutcomeHandler.Queue, OutcomeHandler.Declare);
        services.AddQueueConsumer<UnroutableHandler>(Contracts.Topology.UnroutableQueue);
        services.AddQueueConsumer<AgentStateHandler>(AgentStateHandler.Queue, AgentStateHandler.Declare);
        // this process's own queue: its holder certificates are its own
        var instance = InstanceName.OfHost(Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(4)));
        services.AddQueueConsumer<HolderCertificateWatcher>(HolderCertificateWatcher.QueueFor(instance), HolderCertificateWatcher.Declare(instance));
        return services;
    }

    /// <summary>Every API handler: the registry dispatches to them and listApis lists them.</summary>
    private static void AddHandlers(IServiceCollection services)
    {
        Type[] handlers =
        [
            typeof(LoginHandler), typeof(LogoutHandler), typeof(ListApisHandler),
            typeof(CreateAccountHandler), typeof(ListAccountsHandler), typeof(CreateUserHandler), typeof(ListUsersHandler), typeof(UpdateUserHandler),
            typeof(RegisterUserKeysHandler), typeof(GetUserKeysHandler),
            typeof(RegisterVirtualMachineHandler), typeof(ListVirtualMachinesHandler), typeof(ResetPasswordForVirtualMachineHandler),
            typeof(RegisterSshKeyPairHandler), typeof(ListSshKeyPairsHandler), typeof(DeleteSshKeyPairHandler), typeof(ResetSshKeyForVirtualMachineHandler),
            typeof(RunAgentRecipeHandler), typeof(PatchSystemVmHandler),
            typeof(CreateAgentEnrollmentTokenHandler), typeof(IssueCertificateHandler), typeof(RevokeCertificateHandler),
            typeof(ProvisionCertificateHandler), typeof(ListCaCertificateHandler), typeof(ListCaProvidersHandler),
            typeof(GetRouterHealthCheckResultsHandler), typeof(ListAgentsHandler),
            typeof(ListSystemVmsHandler), typeof(GetSystemVmHealthCheckResultsHandler),
            typeof(QueryAsyncJobResultHandler), typeof(ListAsyncJobsHandler), typeof(CancelAsyncJobHandler),
            typeof(ListEventsHandler),
            typeof(ListConfigurationsHandler), typeof(UpdateConfigurationHandler),
        ];
        foreach (var type in handlers) services.AddSingleton(typeof(IApiHandler), type);
    }
}
