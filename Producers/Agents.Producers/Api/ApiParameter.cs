namespace Agents.Producers.Api;

/// <summary>
/// One parameter a handler accepts, declared once: listApis shows it, the request is checked
/// against it (required, type, length) before the handler runs, and <see cref="ApiCall"/> lets
/// the handler read only what it declared.
/// </summary>
/// <param name="Name">CloudStack's name (lower-case; matched case-insensitively).</param>
public sealed record ApiParameter(string Name, ApiParameterType Type, string Description)
{
    /// <summary>CloudStack's default length of a parameter value.</summary>
    public const int DefaultLength = 255;

    public bool Required { get; init; }

    public int Length { get; init; } = DefaultLength;

    public string? Since { get; init; }

    /// <summary>The response object (e.g. <c>virtualmachine</c>) whose APIs list values for it: listApis' <c>related</c>.</summary>
    public string? Entity { get; init; }

    public ApiParameter AsRequired() => this with { Required = true };
}
