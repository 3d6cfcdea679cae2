using System.Net;
using System.Security.Cryptography;
using System.Text;
using Newtonsoft.Json.Linq;

namespace Agents.Producers.Tests.Support;

/// <summary>
/// Calls the API as CloudMonkey does. Its signer is written here from CloudStack's documentation
/// (sort by lower-cased name, URL-encode values, lower-case the string, HMAC-SHA1, base64), not
/// shared with the service's code.
/// </summary>
public sealed class ApiClient(HttpClient http, string apiKey, string secretKey)
{
    public string ApiKey => apiKey;

    public string SecretKey => secretKey;

    public async Task<(HttpStatusCode Status, JObject Body)> CallAsync(string command, params (string Name, string Value)[] parameters)
    {
        var all = new List<(string Name, string Value)> { ("command", command), ("response", "json"), ("apiKey", apiKey) };
        all.AddRange(parameters);
        var query = Query(all) + "&signature=" + Uri.EscapeDataString(Sign(all, secretKey));
        return await SendRawAsync(query);
    }

    public async Task<(HttpStatusCode Status, JObject Body)> SendRawAsync(string query)
    {
        using var response = await http.GetAsync("/client/api?" + query);
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, JObject.Parse(text));
    }

    /// <summary>The call's response object; fails the test with the API's error otherwise.</summary>
    public async Task<JObject> OkAsync(string command, params (string Name, string Value)[] parameters)
    {
        var (status, body) = await CallAsync(command, parameters);
        Assert.True(status == HttpStatusCode.OK, $"{command} answered {(int)status}: {body}");
        return (JObject)body[command.ToLowerInvariant() + "response"]!;
    }

    /// <summary>Polls queryAsyncJobResult until the job is no longer pending; returns the response of that (first final) query.</summary>
    public async Task<JObject> WaitForJobAsync(string jobId, double seconds = 120)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (true)
        {
            var result = await OkAsync("queryAsyncJobResult", ("jobid", jobId));
            if (result.Value<int>("jobstatus") != 0) return result;
            if (DateTime.UtcNow > deadline) Assert.Fail($"job {jobId} still pending after {seconds} s: {result}");
            await Task.Delay(200);
        }
    }

    public static string Query(IEnumerable<(string Name, string Value)> parameters) =>
        string.Join('&', parameters.Select(p => Uri.EscapeDataString(p.Name) + "=" + Uri.EscapeDataString(p.Value)));

    public static string Sign(IEnumerable<(string Name, string Value)> parameters, string secret)
    {
        var canonical = string.Join('&', parameters
            .OrderBy(p => p.Name.ToLowerInvariant(), StringComparer.Ordinal)
            .Select(p => p.Name.ToLowerInvariant() + "=" + Uri.EscapeDataString(p.Value))).ToLowerInvariant();
        return Convert.ToBase64String(HMACSHA1.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(canonical)));
    }
}
