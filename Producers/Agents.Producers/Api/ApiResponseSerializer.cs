using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Agents.Producers.Api;

/// <summary>
/// Writes an answer as CloudStack's ApiResponseSerializer does, in JSON or XML with the same
/// content: <c>{"listxresponse":{"count":2,"x":[{…},{…}]}}</c> is
/// <c>&lt;listxresponse cloud-stack-version="…"&gt;&lt;count&gt;2&lt;/count&gt;&lt;x&gt;…&lt;/x&gt;&lt;x&gt;…&lt;/x&gt;&lt;/listxresponse&gt;</c>:
/// a list is its items repeated under the list's name, an object its fields as elements.
/// </summary>
public static class ApiResponseSerializer
{
    /// <summary>The CloudStack API level these answers follow, written in the XML root as CloudStack writes its version.</summary>
    public const string CloudStackVersion = "4.20.0.0";

    public const string JsonContentType = "application/json; charset=UTF-8";
    public const string XmlContentType = "text/xml; charset=UTF-8";

    public static string ContentType(ApiResponseFormat format) => format == ApiResponseFormat.Json ? JsonContentType : XmlContentType;

    public static string Serialize(ApiResponseFormat format, string responseName, JsonObject body) =>
        format == ApiResponseFormat.Json ? Json(responseName, body) : Xml(responseName, body);

    public static string Json(string responseName, JsonObject body)
    {
        ArgumentNullException.ThrowIfNull(body);
        var outer = new JsonObject { [responseName] = body.Parent is null ? body : body.DeepClone() };
        return outer.ToJsonString(JsonSerializerOptions.Default);
    }

    public static string Xml(string responseName, JsonObject body)
    {
        ArgumentNullException.ThrowIfNull(body);
        var xml = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>");
        xml.Append('<').Append(responseName).Append(" cloud-stack-version=\"").Append(CloudStackVersion).Append("\">");
        Fields(xml, body);
        xml.Append("</").Append(responseName).Append('>');
        return xml.ToString();
    }

    private static void Fields(StringBuilder xml, JsonObject o)
    {
        foreach (var (name, value) in o) Element(xml, name, value);
    }

    private static void Element(StringBuilder xml, string name, JsonNode? value)
    {
        switch (value)
        {
            case null:
                return;
            case JsonArray array:
                // CloudStack writes a collection as its items, each under the collection's name
                foreach (var item in array) Element(xml, name, item);
                return;
            case JsonObject o:
                xml.Append('<').Append(name).Append('>');
                Fields(xml, o);
                xml.Append("</").Append(name).Append('>');
                return;
            default:
                xml.Append('<').Append(name).Append('>').Append(Escape(Text(value))).Append("</").Append(name).Append('>');
                return;
        }
    }

    private static string Text(JsonNode value) => value.GetValueKind() switch
    {
        JsonValueKind.String => value.GetValue<string>(),
        JsonValueKind.True => "true",
        JsonValueKind.False => "false",
        _ => Convert.ToString(value.ToJsonString(), CultureInfo.InvariantCulture),
    };

    /// <summary>XML-escaped, with characters XML 1.0 cannot carry replaced by U+FFFD.</summary>
    private static string Escape(string text)
    {
        var escaped = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            escaped.Append(c switch
            {
                '&' => "&amp;",
                '<' => "&lt;",
                '>' => "&gt;",
                '"' => "&quot;",
                '\'' => "&apos;",
                _ when c < 0x20 && c is not ('\t' or '\n' or '\r') => "\uFFFD",
                _ when c is '\uFFFE' or '\uFFFF' => "\uFFFD",
                _ => c.ToString(),
            });
        }
        return escaped.ToString();
    }
}
