using Agents.Contracts.Commands;
using Agents.Producers.Api;

namespace Agents.Producers.Handlers.Recipes;

/// <summary>The recipe parameters runAgentRecipe and patchSystemVm share, and the RunRecipe payload made of them.</summary>
public static class RecipeRequest
{
    public static readonly ApiParameter Sha256 = new("sha256", ApiParameterType.String, "the SHA-256 of the recipe (64 hex digits): the agent runs it only if its policy allows that digest");
    public static readonly ApiParameter Script = new("script", ApiParameterType.String, "the recipe's script, base64") { Length = 1_048_576 };
    public static readonly ApiParameter Parameters = new("parameters", ApiParameterType.Map, "the recipe's parameters: parameters[0].key=k&parameters[0].value=v");
    public static readonly ApiParameter Timeout = new("timeout", ApiParameterType.Integer, "seconds the recipe may run (120 when absent)");

    public static IReadOnlyList<ApiParameter> All { get; } = [Sha256, Script, Parameters, Timeout, FanOut.MaxConcurrencyParameter, FanOut.MaxErrorsParameter];

    public static RunRecipe From(ApiCall call, string name)
    {
        ArgumentNullException.ThrowIfNull(call);
        ArgumentNullException.ThrowIfNull(name);
        if (name.Length > 64 || !name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.'))
            throw ApiException.Parameter("recipe name must be letters, digits, '-', '_', '.' (at most 64)");
        var sha256 = call.Optional(Sha256);
        if (sha256 is not null && (sha256.Length != 64 || !sha256.All(char.IsAsciiHexDigit)))
            throw ApiException.Parameter("sha256 must be 64 hex digits");
        var script = call.Optional(Script);
        if (script is not null)
        {
            try { _ = Convert.FromBase64String(script); }
            catch (FormatException) { throw ApiException.Parameter("script must be base64"); }
        }
        return new RunRecipe
        {
            Name = name,
            Sha256 = sha256?.ToLowerInvariant(),
            Script = script,
            Parameters = call.Map(Parameters),
            TimeoutSeconds = call.OptionalInt(Timeout, 1, 86_400) ?? 120,
        };
    }
}
