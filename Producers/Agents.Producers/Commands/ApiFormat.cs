using System.Globalization;
using Newtonsoft.Json.Linq;

namespace Agents.Producers.Commands;

/// <summary>CloudStack's response conventions: dates as yyyy-MM-dd'T'HH:mm:ss+0000, lists as {count, item: [...]}.</summary>
public static class ApiFormat
{
    public static string Date(DateTimeOffset at) => at.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'+0000'", CultureInfo.InvariantCulture);

    public static JObject List(string itemName, IEnumerable<JObject> items)
    {
        var array = new JArray(items);
        var response = new JObject { ["count"] = array.Count };
        if (array.Count > 0) response[itemName] = array;
        return response;
    }

    public static JObject Async(Guid jobId, string? id = null)
    {
        var response = new JObject { ["jobid"] = jobId.ToString() };
        if (id is not null) response["id"] = id;
        return response;
    }

    public static JObject Success(string? text = null)
    {
        var response = new JObject { ["success"] = true };
        if (text is not null) response["displaytext"] = text;
        return response;
    }
}
