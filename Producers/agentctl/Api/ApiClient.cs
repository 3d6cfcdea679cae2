using System.Text.Json;
using System.Text.Json.Nodes;
using Agents.Cli.Config;
using Agents.Security.Signing;

namespace Agents.Cli.Api;

/// <summary>Signed calls to <c>/client/api</c>; answers the inner <c>&lt;command&gt;response</c> object or throws <see cref="ApiError"/>.</summary>
public sealed class ApiClient(ApiProfile profile, HttpClient http)
{
    /// <summary>Longer queries go as a form body: the signature is the same, proxies' URL limits are not.</summary>
    private const int MaxGetQueryLength = 4000;

    public async Task<JsonObject> CallAsync(string command, IReadOnlyList<KeyValuePair<string, string>> parameters, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        var all = new List<KeyValuePair<string, string>> { new("command", command), new("response", "json") };
        all.AddRange(parameters);
        all.Add(new("apiKey", profile.ApiKey));
        var query = CloudStackSignature.SignedQuery(all, profile.SecretKey);

        HttpResponseMessage response;
        try
        {
            response = query.Length <= MaxGetQueryLength
                ? await http.GetAsync(new Uri(profile.Url + "?" + query), ct).ConfigureAwait(false)
                : await http.PostAsync(profile.Url, new StringContent(query, System.Text.Encoding.UTF8, "application/x-www-form-urlencoded"), ct).ConfigureAwait(false);
        }
        catch (HttpRequestException e)
        {
            throw new ApiError($"{profile.Url} cannot be reached: {e.Message}", e);
        }
        using (response)
        {
            var body = await response.Content.ReadAsStringAsync(ct).ConfigureAwait(false);
            JsonObject? outer;
            try { outer = JsonNode.Parse(body) as JsonObject; }
            catch (JsonException) { outer = null; }
            if (outer is null || outer.Count != 1 || outer.First().Value is not JsonObject inner)
                throw new ApiError((int)response.StatusCode, $"{command}: not a CloudStack response: {Snippet(body)}");
            if (inner["errorcode"] is { } code)
                throw new ApiError(code.GetValue<int>(), inner["errortext"]?.GetValue<string>() ?? "(no errortext)");
            if (!response.IsSuccessStatusCode)
                throw new ApiError((int)response.StatusCode, $"{command}: HTTP {(int)response.StatusCode}");
            return inner;
        }
    }

    private static string Snippet(string body) => body.Length <= 200 ? body : body[..200] + "…";
}
