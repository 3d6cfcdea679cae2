using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Agents.Security.Signing;

namespace Agents.Producers.Client;

/// <summary>
/// A client of the CloudStack-style API at <c>/client/api</c>, as CloudMonkey is: every request has
/// <c>response=json</c> and is either signed with an API key pair (<c>apiKey</c> + <c>signature</c>) or
/// carries the <c>sessionkey</c> of a <see cref="LoginAsync">login</see>. Answers are the inner
/// <c>&lt;command&gt;response</c> object; errors are <see cref="CloudStackApiException"/>s; async jobs
/// are waited on with <see cref="WaitForJobAsync"/>. Transport failures stay <see cref="HttpRequestException"/>s.
/// </summary>
public sealed class CloudStackClient : IDisposable
{
    /// <summary>Longer queries go as a form body: the signature is the same, proxies' URL limits are not.</summary>
    private const int MaxGetQueryLength = 4000;

    private readonly HttpClient _http;
    private readonly bool _ownsHttp;
    private readonly ApiKeys? _keys;

    /// <summary>Signs every request with <paramref name="keys"/>. <paramref name="http"/> is shared, not disposed; without it the client makes its own.</summary>
    public CloudStackClient(Uri endpoint, ApiKeys keys, HttpClient? http = null)
        : this(endpoint, http ?? NewHttp(cookies: null), ownsHttp: http is null) =>
        _keys = keys ?? throw new ArgumentNullException(nameof(keys));

    private CloudStackClient(Uri endpoint, HttpClient http, bool ownsHttp)
    {
        Endpoint = EndpointOf(endpoint?.ToString() ?? throw new ArgumentNullException(nameof(endpoint)));
        _http = http;
        _ownsHttp = ownsHttp;
    }

    /// <summary>The API endpoint, ending in <c>/client/api</c>.</summary>
    public Uri Endpoint { get; }

    /// <summary>The session of a client made by <see cref="LoginAsync"/>, until <see cref="LogoutAsync"/>.</summary>
    public ApiSession? Session { get; private set; }

    /// <summary>"http://host:8080" and "http://host:8080/client/api" both name the API endpoint.</summary>
    public static Uri EndpointOf(string url)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
            throw new ArgumentException($"API URL '{url}' is not an http(s) URL", nameof(url));
        var path = uri.AbsolutePath.TrimEnd('/');
        return path.EndsWith("/client/api", StringComparison.OrdinalIgnoreCase) ? new Uri(uri, path) : new Uri(uri, path + "/client/api");
    }

    /// <summary>
    /// CloudStack's <c>login</c> (a form POST of username, password and domain): the session key comes
    /// from the answer or, as newer CloudStack versions send it, from the <c>sessionkey</c> cookie; the
    /// session cookie is kept for every later request.
    /// </summary>
    public static async Task<CloudStackClient> LoginAsync(Uri endpoint, string userName, string password, string? domain = null, CancellationToken ct = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(userName);
        ArgumentException.ThrowIfNullOrEmpty(password);
        var cookies = new CookieContainer();
        var client = new CloudStackClient(endpoint, NewHttp(cookies), ownsHttp: true);
        try
        {
            List<KeyValuePair<string, string>> parameters = [new("username", userName), new("password", password)];
            if (!string.IsNullOrEmpty(domain)) parameters.Add(new("domain", domain));
            var answer = await client.SendAsync("login", parameters, authenticate: false, forcePost: true, ct).ConfigureAwait(false);
            var sessionKey = ResponseValues.Text(answer["sessionkey"]) is { Length: > 0 } inBody ? inBody : cookies.GetCookies(client.Endpoint)["sessionkey"]?.Value;
            if (string.IsNullOrEmpty(sessionKey))
                throw new CloudStackApiException("login", 200, 530, "the login answer carries no session key (neither in its body nor as a cookie)", answer);
            client.Session = new ApiSession(sessionKey, ResponseValues.Text(answer["username"]), ResponseValues.Text(answer["account"]),
                ResponseValues.Text(answer["domainid"]), ResponseValues.Int(answer["timeout"]));
            return client;
        }
        catch
        {
            client.Dispose();
            throw;
        }
    }

    /// <summary>Ends the session on the server (<c>logout</c>); the client cannot call again afterwards.</summary>
    public async Task LogoutAsync(CancellationToken ct = default)
    {
        if (Session is null) return;
        await CallAsync("logout", [], ct).ConfigureAwait(false);
        Session = null;
    }

    public Task<JsonObject> CallAsync(string command, params (string Name, string Value)[] parameters) =>
        CallAsync(command, parameters.Select(p => new KeyValuePair<string, string>(p.Name, p.Value)).ToList(), CancellationToken.None);

    /// <summary>One API call: its <c>&lt;command&gt;response</c> object, or the API's error as a <see cref="CloudStackApiException"/>.</summary>
    public Task<JsonObject> CallAsync(string command, IReadOnlyList<KeyValuePair<string, string>> parameters, CancellationToken ct) =>
        SendAsync(command, parameters, authenticate: true, forcePost: false, ct);

    /// <summary>Calls an async command and waits for its job (see <see cref="WaitForJobAsync"/>).</summary>
    public async Task<AsyncJob> RunJobAsync(string command, IReadOnlyList<KeyValuePair<string, string>> parameters, JobWaitOptions? options = null, CancellationToken ct = default)
    {
        var started = await CallAsync(command, parameters, ct).ConfigureAwait(false);
        var jobId = ResponseValues.Text(started["jobid"]);
        if (jobId.Length == 0) throw new CloudStackApiException(command, 200, 530, $"{command} answered without a jobid: {started.ToJsonString()}", started);
        return await WaitForJobAsync(jobId, options, ct).ConfigureAwait(false);
    }

    public Task<AsyncJob> RunJobAsync(string command, params (string Name, string Value)[] parameters) =>
        RunJobAsync(command, parameters.Select(p => new KeyValuePair<string, string>(p.Name, p.Value)).ToList());

    /// <summary>
    /// Polls <c>queryAsyncJobResult</c> until the job leaves <c>jobstatus</c> 0 and returns that answer,
    /// succeeded or failed (<see cref="AsyncJob.EnsureSucceeded"/> turns a failure into an exception).
    /// A job still pending after <see cref="JobWaitOptions.Timeout"/> is a <see cref="TimeoutException"/>.
    /// </summary>
    public async Task<AsyncJob> WaitForJobAsync(string jobId, JobWaitOptions? options = null, CancellationToken ct = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(jobId);
        options ??= new JobWaitOptions();
        var deadline = DateTime.UtcNow + options.Timeout;
        var polls = options.Polls();
        for (var poll = 0; ; poll++)
        {
            var job = new AsyncJob(await CallAsync("queryAsyncJobResult", [new("jobid", jobId)], ct).ConfigureAwait(false));
            options.Progress?.Invoke(job);
            if (job.IsFinished) return job;
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"job {jobId} is still pending after {options.Timeout.TotalSeconds:0} s: {job}");
            await Task.Delay(polls.Delay(poll), ct).ConfigureAwait(false);
        }
    }

    public void Dispose()
    {
        if (_ownsHttp) _http.Dispose();
    }

    private async Task<JsonObject> SendAsync(string command, IReadOnlyList<KeyValuePair<string, string>> parameters, bool authenticate, bool forcePost, CancellationToken ct)
    {
        ArgumentException.ThrowIfNullOrEmpty(command);
        ArgumentNullException.ThrowIfNull(parameters);
        var query = Query(command, parameters, authenticate);
        using var response = forcePost || query.Length > MaxGetQueryLength
            ? await _http.PostAsync(Endpoint, new StringContent(query, Encoding.UTF8, "application/x-www-form-urlencoded"), ct).ConfigureAwait(false)
            : await _http.GetAsync(new Uri(Endpoint.AbsoluteUri + "?" + query), ct).ConfigureAwait(false);
        var body = await response.Content.ReadAsStringAsync(ct).ConfigureAwait(false);
        var status = (int)response.StatusCode;
        if (Inner(body) is not { } answer)
            throw new CloudStackApiException(command, status, status, $"not a CloudStack response (HTTP {status}): {Snippet(body)}");
        var (name, inner) = answer;
        if (inner["errorcode"] is { } code)
            throw new CloudStackApiException(command, status, ResponseValues.Int(code) ?? status, ResponseValues.Text(inner["errortext"]), inner, name);
        if (!response.IsSuccessStatusCode)
            throw new CloudStackApiException(command, status, status, $"HTTP {status}", inner, name);
        return inner;
    }

    /// <summary>The query in CloudStack's order (command, response, the caller's parameters, then the credentials), encoded as Java's URLEncoder does.</summary>
    private string Query(string command, IReadOnlyList<KeyValuePair<string, string>> parameters, bool authenticate)
    {
        var all = new List<KeyValuePair<string, string>>(parameters.Count + 3) { new("command", command), new("response", "json") };
        all.AddRange(parameters);
        if (!authenticate) return Encode(all);
        if (Session is { } session)
        {
            all.Add(new("sessionkey", session.SessionKey));
            return Encode(all);
        }
        if (_keys is null) throw new InvalidOperationException("this client's session has ended (logout)");
        all.Add(new("apiKey", _keys.ApiKey));
        return CloudStackSignature.SignedQuery(all, _keys.SecretKey);
    }

    private static string Encode(IEnumerable<KeyValuePair<string, string>> parameters) =>
        string.Join('&', parameters.Select(p => CloudStackSignature.Encode(p.Key) + "=" + CloudStackSignature.Encode(p.Value)));

    /// <summary>The one member of <c>{"&lt;command&gt;response": {…}}</c> and its name, or null when the body is not that.</summary>
    private static (string Name, JsonObject Inner)? Inner(string body)
    {
        try
        {
            return JsonNode.Parse(body) is JsonObject { Count: 1 } outer && outer.First() is { Value: JsonObject inner } member ? (member.Key, inner) : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static HttpClient NewHttp(CookieContainer? cookies) =>
        new(new SocketsHttpHandler { UseCookies = cookies is not null, CookieContainer = cookies ?? new CookieContainer() }) { Timeout = TimeSpan.FromSeconds(100) };

    private static string Snippet(string body) => body.Length <= 200 ? body : body[..200] + "…";
}
