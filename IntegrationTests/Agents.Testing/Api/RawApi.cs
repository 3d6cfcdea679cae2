using System.Text;
using Agents.Security.Signing;

namespace Agents.Testing;

/// <summary>
/// Sends what a well-behaved client never would to the CloudStack-style API (unsigned, tampered,
/// replayed or duplicated parameters; a query signed by another tool; no <c>response=json</c>; forged
/// cookies) and returns the answer as it came. Everything else goes through Agents.Producers.Client.
/// </summary>
public static class RawApi
{
    public static Task<RawAnswer> GetAsync(HttpClient http, Uri endpoint, string query)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        return SendAsync(http, new HttpRequestMessage(HttpMethod.Get, new Uri(endpoint.AbsoluteUri + "?" + query)));
    }

    /// <summary>The query as a form body (CloudStack accepts both).</summary>
    public static Task<RawAnswer> PostAsync(HttpClient http, Uri endpoint, string query) =>
        SendAsync(http, new HttpRequestMessage(HttpMethod.Post, endpoint) { Content = Form(query) });

    /// <summary>Sends <paramref name="request"/> (and disposes it): the status, the body as text, every Set-Cookie header.</summary>
    public static async Task<RawAnswer> SendAsync(HttpClient http, HttpRequestMessage request)
    {
        ArgumentNullException.ThrowIfNull(http);
        using (request)
        {
            using var response = await http.SendAsync(request);
            var setCookies = response.Headers.TryGetValues("Set-Cookie", out var values) ? values.ToList() : [];
            return new RawAnswer((int)response.StatusCode, await response.Content.ReadAsStringAsync(), setCookies);
        }
    }

    public static StringContent Form(string query) => new(query, Encoding.UTF8, "application/x-www-form-urlencoded");

    /// <summary>name=value pairs, URL-encoded, in the order given.</summary>
    public static string Query(IEnumerable<(string Name, string Value)> parameters) =>
        string.Join('&', parameters.Select(p => Uri.EscapeDataString(p.Name) + "=" + Uri.EscapeDataString(p.Value)));

    /// <summary>The parameters in the order given, then <c>apiKey</c>, signed as CloudStack signs them (no <c>response</c> is added).</summary>
    public static string Signed(string apiKey, string secretKey, IEnumerable<(string Name, string Value)> parameters) =>
        CloudStackSignature.SignedQuery([.. parameters.Select(p => KeyValuePair.Create(p.Name, p.Value)), new("apiKey", apiKey)], secretKey);
}
