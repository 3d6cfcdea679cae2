using System.Text.Json.Nodes;
using Agents.Producers.Api;
using Agents.Producers.FirstBoot;
using Agents.Producers.Presence;
using Microsoft.Extensions.Options;

namespace Agents.Producers.Handlers.VirtualMachines;

/// <summary>
/// updateVMFirstBootRecipes (as updateVMAffinityGroup sets a VM's groups): the approved recipes a VM's
/// agent runs once, when it first comes up; an empty list clears them. Refused once the agent has come
/// up (they ran, or the moment passed) and for a recipe not in the catalogue.
/// </summary>
public sealed class UpdateVmFirstBootRecipesHandler(VmAccess vms, IFirstBootStore store, IAgentDirectory agents, IOptions<RecipeCatalogueOptions> catalogue, TimeProvider time)
    : IApiHandler
{
    private static readonly ApiParameter Id = new("id", ApiParameterType.Uuid, "The ID of the virtual machine") { Required = true, Entity = VirtualMachineResponse.ObjectName };
    private static readonly ApiParameter RecipeNames = new("recipenames", ApiParameterType.List, "approved recipes (listAgentRecipes) to run once when the VM's agent first comes up; empty clears them")
        { Entity = "agentrecipe" };

    public ApiDefinition Definition { get; } = new("updateVMFirstBootRecipes", "Sets the recipes a VM's agent runs once, when it first comes up")
    {
        Since = "agents-1.0",
        Parameters = [Id, RecipeNames],
        ResponseObject = FirstBootResponse.ObjectName,
        Response = FirstBootResponse.Fields,
    };

    public async Task<JsonObject> HandleAsync(ApiCall call, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(call);
        var vm = await vms.RequireAsync(call, call.RequiredId(Id), ct).ConfigureAwait(false);
        var names = call.List(RecipeNames).Distinct(StringComparer.Ordinal).ToList();
        foreach (var name in names)
            if (catalogue.Value.Find(name) is null) throw ApiException.Parameter($"recipe {name} is not in the catalogue of approved recipes (listAgentRecipes)");
        if ((await agents.ListAsync(null, vm.Id, ct).ConfigureAwait(false)).Count > 0)
            throw ApiException.InUse($"the agent of virtual machine {vm.Id} has come up already: first-boot recipes can no longer be set");
        if (!await store.SetAsync(vm.Id, names, time.GetUtcNow(), ct).ConfigureAwait(false))
            throw ApiException.InUse($"the first-boot recipes of virtual machine {vm.Id} have run already");
        var choice = await store.FindAsync(vm.Id, ct).ConfigureAwait(false) ?? throw new InvalidOperationException("the choice just stored is gone");
        return new JsonObject { [FirstBootResponse.ObjectName] = FirstBootResponse.Render(choice) };
    }
}
