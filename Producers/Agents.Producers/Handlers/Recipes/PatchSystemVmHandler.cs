using System.Text.Json.Nodes;
using Agents.Contracts.Commands;
using Agents.Contracts.Events;
using Agents.Producers.Api;
using Agents.Producers.Handlers.Routers;
using Agents.Producers.Inventory;
using Agents.Producers.Jobs;
using Microsoft.Extensions.Options;

namespace Agents.Producers.Handlers.Recipes;

/// <summary>patchSystemVm (admin): a recipe (package-upgrade by default) on routers themselves: id, ids, or all=true.</summary>
public sealed class PatchSystemVmHandler(IVmInventory inventory, JobLauncher jobs, IOptions<ProducersOptions> options) : IApiHandler
{
    public const string DefaultRecipe = "package-upgrade";

    private static readonly ApiParameter Id = new("id", ApiParameterType.Uuid, "patches the system VM (router) with this ID") { Entity = RouterHealthCheckResponse.ObjectName };
    private static readonly ApiParameter Ids = new("ids", ApiParameterType.List, "the routers to patch") { Entity = RouterHealthCheckResponse.ObjectName, Length = 1_048_576 };
    private static readonly ApiParameter All = new("all", ApiParameterType.Boolean, "patch every router that serves a registered VM");
    private static readonly ApiParameter Recipe = new("recipe", ApiParameterType.String, $"the recipe to run ({DefaultRecipe} when absent)");

    public ApiDefinition Definition { get; } = new("patchSystemVm", "Attempts to live patch systemVMs - CPVM, SSVM, and virtual routers [async]")
    {
        Since = "4.17.0",
        IsAsync = true,
        Access = ApiAccess.Admin,
        Parameters = [Id, Ids, All, Recipe, .. RecipeRequest.All],
        ResponseObject = AgentJobResponse.ObjectName,
        Response = AgentJobResponse.Fields,
    };

    public async Task<JsonObject> HandleAsync(ApiCall call, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(call);
        var recipe = RecipeRequest.From(call, call.Optional(Recipe) ?? DefaultRecipe);
        var routers = call.IdList(Ids).Concat(call.OptionalId(Id) is { } one ? [one] : Array.Empty<string>()).ToList();
        if (call.OptionalBool(All)) routers.AddRange(await inventory.RouterIdsAsync(ct).ConfigureAwait(false));
        routers = routers.Distinct(StringComparer.Ordinal).ToList();
        if (routers.Count == 0) throw ApiException.Missing(call.Command, Id.Name);
        var fanOut = FanOut.From(call, routers.Count, options.Value.Provisioning.DefaultMaxConcurrency);
        var job = await jobs.LaunchAsync(call, routers.Count == 1 ? ResourceTypes.DomainRouter : null, routers.Count == 1 ? routers[0] : null,
            routers.Select(r => new TargetSpec(r, null, CommandTypes.RunRecipe, recipe)).ToList(),
            fanOut.MaxConcurrency, fanOut.MaxErrors, new JsonObject { ["recipe"] = recipe.Name }, ct: ct).ConfigureAwait(false);
        return ApiFormat.Async(job.Id, routers.Count == 1 ? routers[0] : null);
    }
}
