using Agents.Producers.Api;
using Agents.Producers.Handlers.Recipes;
using Agents.Producers.Handlers.VirtualMachines;
using Agents.Producers.Jobs;

namespace Agents.Producers.FirstBoot;

public static class FirstBootServiceCollectionExtensions
{
    /// <summary>The recipe catalogue and first-boot recipes: options, store, runner and their three API handlers.</summary>
    public static IServiceCollection AddFirstBootRecipes(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<RecipeCatalogueOptions>().Bind(configuration.GetSection(RecipeCatalogueOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<IFirstBootStore, SqlFirstBootStore>();
        services.AddSingleton<FirstBootRunner>();
        services.AddSingleton<IApiHandler, ListAgentRecipesHandler>();
        services.AddSingleton<IApiHandler, UpdateVmFirstBootRecipesHandler>();
        services.AddSingleton<IApiHandler, ListVmFirstBootRecipesHandler>();
        return services;
    }
}
