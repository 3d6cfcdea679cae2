namespace Agents.Producers.Api;

/// <summary>One field of a handler's response, as listApis shows it (CloudStack's ApiResponseResponse); objects and lists of objects name their own fields.</summary>
public sealed record ApiResponseField(string Name, string Type, string Description, IReadOnlyList<ApiResponseField>? Fields = null)
{
    public static ApiResponseField String(string name, string description) => new(name, "string", description);

    public static ApiResponseField Boolean(string name, string description) => new(name, "boolean", description);

    public static ApiResponseField Integer(string name, string description) => new(name, "integer", description);

    public static ApiResponseField Date(string name, string description) => new(name, "date", description);

    public static ApiResponseField Object(string name, string description, params ApiResponseField[] fields) => new(name, "object", description, fields);

    public static ApiResponseField List(string name, string description, params ApiResponseField[] fields) => new(name, "list", description, fields.Length == 0 ? null : fields);
}
