using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Agents.Security.Signing;

namespace Agents.Demo.Api;

public sealed class ApiException(int errorCode, string errorText) : Exception($"{errorCode}: {errorText}")
{
    public int ErrorCode => errorCode;
    public string ErrorText => errorText;
}

/// <summary>A client of the CloudStack-style API: signs every request, reads <c>{command}response</c>, waits on async jobs.</summary>
public sealed class ApiClient(Uri baseUrl, string apiKey, string secretKey) : IDisposable
{
    private readonly HttpClient _http = new() { BaseAddress = baseUrl, Timeout = TimeSpan.FromSeconds(60) };

    public async Task<JsonObject> CallAsync(string command, params (string Key, string Value)[] parameters)
    {
        var all = new List<KeyValuePair<string, string>>
        {
            new("command", command), new("response", "json"), new("apiKey", apiKey),
        };
        all.AddRange(parameters.Select(p => new KeyValuePair<string, string>(p.Key, p.Value)));
        var query = CloudStackSignature.SignedQuery(all, secretKey);
        using var response = await _http.GetAsync(new Uri("/client/api?" + query, UriKind.Relative));
        var body = await response.Content.ReadFromJsonAsync<JsonObject>()
            ?? throw new ApiException(530, $"{command}: empty response ({(int)response.StatusCode})");
        var inner = body.Single().Value as JsonObject ?? throw new ApiException(530, $"{command}: unexpected response {body}");
        if (inner["errorcode"] is { } code)
            throw new ApiException(code.GetValue<int>(), inner["errortext"]?.GetValue<string>() ?? "");
        return inner;
    }

    /// <summary>Polls queryAsyncJobResult (every <paramref name="pollInterval"/>, default 250 ms) until the job leaves status 0; returns the final response.</summary>
    public async Task<JsonObject> WaitForJobAsync(string jobId, TimeSpan timeout, Action<JsonObject>? progress = null, TimeSpan? pollInterval = null)
    {
        var until = DateTime.UtcNow + timeout;
        while (true)
        {
            var job = await CallAsync("queryAsyncJobResult", ("jobid", jobId));
            progress?.Invoke(job);
            if (job["jobstatus"]?.GetValue<int>() is 1 or 2) return job;
            if (DateTime.UtcNow > until) throw new TimeoutException($"job {jobId} still pending after {timeout.TotalSeconds:0} s: {job.ToJsonString()}");
            await Task.Delay(pollInterval ?? TimeSpan.FromMilliseconds(250));
        }
    }

    public void Dispose() => _http.Dispose();

    public static string Text(JsonNode? node) => node is null ? "" : node.GetValueKind() == JsonValueKind.String ? node.GetValue<string>() : node.ToJsonString();
}
