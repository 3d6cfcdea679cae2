using System.Text.Json.Nodes;

namespace Agents.Producers.Api;

/// <summary>
/// Answers one API command. Its <see cref="ApiDefinition"/> is the one declaration of its name,
/// parameters and response: the registry dispatches by it and listApis shows it.
/// </summary>
public interface IApiHandler
{
    ApiDefinition Definition { get; }

    /// <summary>The object inside <c>&lt;name lower-cased&gt;response</c>; a refusal is an <see cref="ApiException"/>.</summary>
    Task<JsonObject> HandleAsync(ApiCall call, CancellationToken ct);
}
