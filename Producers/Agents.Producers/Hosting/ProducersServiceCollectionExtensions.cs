using Agents.Messaging;
using Agents.Producers.Accounts;
using Agents.Producers.Api;
using Agents.Producers.Commands;
using Agents.Producers.Inventory;
using Agents.Producers.Jobs;
using Agents.Producers.Presence;
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
        services.AddSingleton(TimeProvider.System);

        services.AddStorage(configuration);
        services.AddSingleton(sp => sp.OpenDatabase(sp.GetRequiredService<IOptions<ProducersOptions>>().Value.DatabasePath));
        services.AddSingleton<SecretBox>();
        services.AddSingleton<IAccountStore, SqlAccountStore>();
        services.AddSingleton<IVmInventory, SqlVmInventory>();
        services.AddSingleton<ISshKeyPairStore, SqlSshKeyPairStore>();
        services.AddSingleton<IJobStore, SqlJobStore>();
        services.AddSingleton<IAgentDirectory, SqlAgentDirectory>();

        services.AddSingleton<JobEvents>();
        services.AddSingleton<JobEngine>();
        services.AddSingleton<JobLauncher>();
        services.AddSingleton<QuartzSchedules>();
        services.AddSingleton<IRetryScheduler>(sp => sp.GetRequiredService<QuartzSchedules>());

        services.AddSingleton<RequestAuthenticator>();
        services.AddSingleton<RefusalAudit>();
        services.AddSingleton<CommandCatalog>();
        services.AddSingleton<VmAccess>();
        services.AddSingleton<JobAccess>();
        services.AddSingleton<CaClient>();
        services.AddSingleton<AuditLog>();
        AddCommands(services);

        // start order: schema, admin keys, schedules (and recovery of unfinished jobs), then the consumers
        services.AddSchemaMigration(ProducersSchema.Schema, sp => sp.GetRequiredService<Database>());
        services.AddHostedService<AdminBootstrap>();
        services.AddHostedService(sp => sp.GetRequiredService<QuartzSchedules>());
        services.AddQueueConsumer<OutcomeHandler>(OutcomeHandler.Queue, OutcomeHandler.Declare);
        services.AddQueueConsumer<UnroutableHandler>(Contracts.Topology.UnroutableQueue);
        services.AddQueueConsumer<AgentStateHandler>(AgentStateHandler.Queue, AgentStateHandler.Declare);
        return services;
    }

    private static void AddCommands(IServiceCollection services)
    {
        Type[] commands =
        [
            typeof(RegisterUserKeys), typeof(ListAccounts),
            typeof(RegisterVirtualMachine), typeof(ListVirtualMachines),
            typeof(ResetPasswordForVirtualMachine),
            typeof(RegisterSshKeyPair), typeof(ListSshKeyPairs), typeof(DeleteSshKeyPair), typeof(ResetSshKeyForVirtualMachine),
            typeof(RunAgentRecipe), typeof(PatchSystemVm),
            typeof(CreateAgentEnrollmentToken), typeof(IssueCertificateCommand), typeof(RevokeCertificateCommand),
            typeof(ProvisionCertificateCommand), typeof(ListCaCertificate), typeof(ListCaProvidersCommand),
            typeof(GetRouterHealthCheckResults), typeof(ListAgents),
            typeof(QueryAsyncJobResult), typeof(ListAsyncJobs), typeof(CancelAsyncJob),
            typeof(ListEvents),
        ];
        foreach (var type in commands) services.AddSingleton(typeof(IApiCommand), type);
    }
}
