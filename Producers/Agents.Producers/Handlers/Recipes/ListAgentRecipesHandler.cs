using System.Text.Json.Nodes;
using Agents.Producers.Api;
using Agents.Producers.FirstBoot;
using Microsoft.Extensions.Options;

namespace Agents.Producers.Handlers.Recipes;

/// <summary>listAgentRecipes: the operator's catalogue of approved recipes, each with what it does.</summary>
public sealed class ListAgentRecipesHandler(IOptions<RecipeCatalogueOptions> catalogue) : IApiHandler
{
    public const string ObjectName = "agentrecipe";

    private static readonly ApiParameter Name = new("name", ApiParameterType.String, "the recipe's name");

    public ApiDefinition Definition { get; } = new("listAgentRecipes", "Lists the approved recipes an agent may be asked to run (runAgentRecipe, first-boot recipes)")
    {
        Since = "agents-1.0",
        Parameters = [Name, .. ListParameters.Paging],
        ResponseObject = ObjectName,
        Response =
        [
            ApiResponseField.String("name", "the recipe's name"), ApiResponseField.String("description", "what it installs or does"),
            ApiResponseField.String("sha256", "the SHA-256 the agents' policies allow"), ApiResponseField.Integer("timeout", "seconds it may run"),
        ],
    };

    public Task<JsonObject> HandleAsync(ApiCall call, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(call);
        var page = call.Page();
        var name = call.Optional(Name);
        var rows = catalogue.Value.Catalogue.Where(r => (name is null || r.Name == name) && page.Matches(r.Name, r.Description)).ToList();
        return Task.FromResult(ApiFormat.Page(ObjectName, rows, page, r =>
            new JsonObject { ["name"] = r.Name, ["description"] = r.Description, ["timeout"] = r.TimeoutSeconds }.With("sha256", r.Sha256)));
    }
}
