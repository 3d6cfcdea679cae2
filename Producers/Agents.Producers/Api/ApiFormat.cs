using System.Globalization;
using System.Text.Json.Nodes;

namespace Agents.Producers.Api;

/// <summary>CloudStack's response conventions: dates as yyyy-MM-dd'T'HH:mm:ss+0000, lists as {count, item: [...]}, async answers as {jobid, id}.</summary>
public static class ApiFormat
{
    public static string Date(DateTimeOffset at) => at.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'+0000'", CultureInfo.InvariantCulture);

    /// <summary>
    /// A list as CloudStack's ListResponse serializes it: <c>count</c> is every matching row, the
    /// items are the page's; no match at all is an empty object (<c>{"listxresponse":{}}</c>).
    /// </summary>
    public static JsonObject List(string itemName, IEnumerable<JsonObject> items, int count)
    {
        var array = new JsonArray([.. items]);
        var response = new JsonObject();
        if (count == 0) return response;
        response["count"] = count;
        if (array.Count > 0) response[itemName] = array;
        return response;
    }

    /// <summary>A list of rows already filtered and in a stable order: the page of <paramref name="page"/>, counted whole.</summary>
    public static JsonObject Page<T>(string itemName, IReadOnlyList<T> rows, ApiPage page, Func<T, JsonObject> render)
    {
        ArgumentNullException.ThrowIfNull(page);
        return List(itemName, page.Of(rows).Select(render), rows.Count);
    }

    public static JsonObject Async(Guid jobId, string? id = null)
    {
        var response = new JsonObject { ["jobid"] = jobId.ToString() };
        if (id is not null) response["id"] = id;
        return response;
    }

    public static JsonObject Success(string? text = null)
    {
        var response = new JsonObject { ["success"] = true };
        if (text is not null) response["displaytext"] = text;
        return response;
    }

    /// <summary>Sets a field only when it has a value: CloudStack leaves null fields out.</summary>
    public static JsonObject With(this JsonObject o, string name, string? value)
    {
        ArgumentNullException.ThrowIfNull(o);
        if (!string.IsNullOrEmpty(value)) o[name] = value;
        return o;
    }
}
