namespace Agents.Producers.Api;

/// <summary>
/// What a handler is, declared once: the registry dispatches by <see cref="Name"/>, listApis
/// shows the rest, and the request is checked against <see cref="Parameters"/> before the handler runs.
/// </summary>
/// <param name="Name">CloudStack's command name (camelCase); the answer is <c>&lt;name lower-cased&gt;response</c>.</param>
public sealed record ApiDefinition(string Name, string Description)
{
    public string? Since { get; init; }

    /// <summary>The call answers a <c>jobid</c> at once; the result comes from queryAsyncJobResult.</summary>
    public bool IsAsync { get; init; }

    public ApiAccess Access { get; init; } = ApiAccess.User;

    public IReadOnlyList<ApiParameter> Parameters { get; init; } = [];

    /// <summary>The object the answer holds (<c>virtualmachine</c>); handlers answering the same object are each other's <c>related</c>.</summary>
    public string? ResponseObject { get; init; }

    /// <summary>The fields of that object (for a list command: of one item).</summary>
    public IReadOnlyList<ApiResponseField> Response { get; init; } = [];

    public string ResponseName => Name.ToLowerInvariant() + "response";

    /// <summary>A list command: paged (page, pagesize, keyword) and answered as <c>{count, &lt;object&gt;: [...]}</c>.</summary>
    public bool IsList => Parameters.Any(p => ReferenceEquals(p, ListParameters.Page));

    public ApiParameter? Find(string name) => Parameters.FirstOrDefault(p => p.Name.Equals(name, StringComparison.OrdinalIgnoreCase));

    public bool Declares(ApiParameter parameter)
    {
        ArgumentNullException.ThrowIfNull(parameter);
        return Find(parameter.Name) is { } declared && declared.Type == parameter.Type;
    }
}
