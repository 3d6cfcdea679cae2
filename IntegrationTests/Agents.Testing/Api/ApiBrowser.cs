namespace Agents.Testing;

/// <summary>
/// A browser's side of CloudStack's login session, for tests of the session rules themselves: its
/// cookie jar is the test's to read and to forge (a cross-site request, a stolen key), every answer
/// comes back as it was sent (status, body, Set-Cookie headers), and no <c>sessionkey</c> is added
/// unless the test adds it. A client that just signs in goes through Agents.Producers.Client.
/// </summary>
public sealed class ApiBrowser(Uri endpoint) : IDisposable
{
    private readonly HttpClient _http = new(new SocketsHttpHandler { UseCookies = false });
    private readonly Dictionary<string, string> _jar = new(StringComparer.Ordinal);

    public string? Cookie(string name) => _jar.GetValueOrDefault(name);

    public void SetCookie(string name, string value) => _jar[name] = value;

    /// <summary>A GET with <paramref name="parameters"/> and <c>response=json</c>, the jar's cookies sent and its Set-Cookies kept.</summary>
    public Task<RawAnswer> GetAsync(params (string Name, string Value)[] parameters) => SendAsync(HttpMethod.Get, parameters);

    /// <summary>The same as a form POST (as CloudStack's UI sends <c>login</c>).</summary>
    public Task<RawAnswer> PostAsync(params (string Name, string Value)[] parameters) => SendAsync(HttpMethod.Post, parameters);

    public void Dispose() => _http.Dispose();

    private async Task<RawAnswer> SendAsync(HttpMethod method, (string Name, string Value)[] parameters)
    {
        var query = RawApi.Query(parameters.Append(("response", "json")));
        var request = method == HttpMethod.Post
            ? new HttpRequestMessage(method, endpoint) { Content = RawApi.Form(query) }
            : new HttpRequestMessage(method, new Uri(endpoint.AbsoluteUri + "?" + query));
        if (_jar.Count > 0) request.Headers.Add("Cookie", string.Join("; ", _jar.Select(c => $"{c.Key}={c.Value}")));
        var answer = await RawApi.SendAsync(_http, request);
        foreach (var header in answer.SetCookies)
        {
            var pair = header.Split(';')[0].Split('=', 2);
            if (pair[1].Length == 0) _jar.Remove(pair[0]);
            else _jar[pair[0]] = pair[1];
        }
        return answer;
    }
}
