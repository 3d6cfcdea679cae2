using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Agents.Testing;

/// <summary>
/// Sends what a well-behaved client never would to the CloudStack-style API (unsigned, tampered,
/// replayed or duplicated parameters; a query signed by another tool) and returns the answer as it
/// came. Everything else goes through Agents.Producers.Client.
/// </summary>
public static class RawApi
{
    public static async Task<RawAnswer> GetAsync(HttpClient http, Uri endpoint, string query)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(endpoint);
        using var response = await http.GetAsync(new Uri(endpoint.AbsoluteUri + "?" + query));
        return new RawAnswer((int)response.StatusCode, Parse(await response.Content.ReadAsStringAsync()));
    }

    /// <summary>The query as a form body (CloudStack accepts both).</summary>
    public static async Task<RawAnswer> PostAsync(HttpClient http, Uri endpoint, string query)
    {
        ArgumentNullException.ThrowIfNull(http);
        using var form = new StringContent(query, Encoding.UTF8, "application/x-www-form-urlencoded");
        using var response = await http.PostAsync(endpoint, form);
        return new RawAnswer((int)response.StatusCode, Parse(await response.Content.ReadAsStringAsync()));
    }

    /// <summary>name=value pairs, URL-encoded, in the order given.</summary>
    public static string Query(IEnumerable<(string Name, string Value)> parameters) =>
        string.Join('&', parameters.Select(p => Uri.EscapeDataString(p.Name) + "=" + Uri.EscapeDataString(p.Value)));

    private static JsonObject? Parse(string text)
    {
        try { return JsonNode.Parse(text) as JsonObject; }
        catch (JsonException) { return null; }
    }
}
