using System.Text.Json.Nodes;
using Agents.WebConsole.Api;
using Agents.WebConsole.Sessions;

namespace Agents.WebConsole.Views;

/// <summary>An approved recipe of the catalogue (listAgentRecipes).</summary>
public sealed record RecipeView(string Name, string? Description)
{
    public const string ObjectName = "agentrecipe";

    public static RecipeView From(JsonObject o) => new(ApiReply.Text(o, "name") ?? "", ApiReply.Text(o, "description"));

    /// <summary>The catalogue; empty when the API has none.</summary>
    public static async Task<IReadOnlyList<RecipeView>> CatalogueAsync(ConsoleContext context, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(context);
        try
        {
            var reply = await context.CallAsync("listAgentRecipes", ct, ("pagesize", "-1")).ConfigureAwait(false);
            return ApiReply.Items(reply, ObjectName).Select(From).Where(r => r.Name.Length > 0).ToList();
        }
        catch (ConsoleApiException)
        {
            return [];
        }
    }
}
