using System.Diagnostics;
using System.Net;
using Agents.Producers.Tests.Support;
using Newtonsoft.Json.Linq;

namespace Agents.Producers.Tests;

/// <summary>CloudStack's sign-in: accounts and users made with its commands, login/logout, the session cookie and sessionkey checks.</summary>
[Collection(WorldCollection.Name)]
public sealed class SessionTests(World world)
{
    private sealed class Browser(World world) : IDisposable
    {
        public CookieContainer Cookies { get; } = new();
        private readonly HttpClient _http = new(new HttpClientHandler { CookieContainer = new CookieContainer(), UseCookies = false }) { BaseAddress = new Uri(world.ApiUrl) };
        private readonly Dictionary<string, string> _jar = new(StringComparer.Ordinal);

        public string? Cookie(string name) => _jar.GetValueOrDefault(name);

        public void SetCookie(string name, string value) => _jar[name] = value;

        public async Task<(HttpStatusCode Status, JObject Body, IReadOnlyList<string> SetCookies)> SendAsync(HttpMethod method, params (string Name, string Value)[] parameters)
        {
            var query = ApiClient.Query(parameters.Append(("response", "json")));
            using var request = method == HttpMethod.Post
                ? new HttpRequestMessage(method, "/client/api") { Content = new StringContent(query, System.Text.Encoding.UTF8, "application/x-www-form-urlencoded") }
                : new HttpRequestMessage(method, "/client/api?" + query);
            if (_jar.Count > 0) request.Headers.Add("Cookie", string.Join("; ", _jar.Select(c => $"{c.Key}={c.Value}")));
            using var response = await _http.SendAsync(request);
            var setCookies = response.Headers.TryGetValues("Set-Cookie", out var values) ? values.ToList() : [];
            foreach (var header in setCookies)
            {
                var pair = header.Split(';')[0].Split('=', 2);
                if (pair[1].Length == 0) _jar.Remove(pair[0]);
                else _jar[pair[0]] = pair[1];
            }
            return (response.StatusCode, JObject.Parse(await response.Content.ReadAsStringAsync()), setCookies);
        }

        public void Dispose() => _http.Dispose();
    }

    private async Task<JObject> CreateAccountAsync(string name, string password) =>
        (JObject)(await world.Admin.OkAsync("createAccount", ("username", name), ("password", password), ("firstname", "Ada"), ("lastname", "Lovelace"),
            ("email", $"{name}@example.org"), ("account", name)))["account"]!;

    [Fact]
    public async Task a_user_signs_in_with_post_calls_with_its_session_and_key_and_is_out_after_logout()
    {
        var account = await CreateAccountAsync("session-ada", "s3cret-Password");
        Assert.Equal("session-ada", account["user"]![0]!.Value<string>("username"));
        using var browser = new Browser(world);

        var (getStatus, getBody, _) = await browser.SendAsync(HttpMethod.Get, ("command", "login"), ("username", "session-ada"), ("password", "s3cret-Password"));
        Assert.Equal(405, (int)getStatus);
        Assert.Equal(405, getBody["loginresponse"]!.Value<int>("errorcode"));

        var (status, body, cookies) = await browser.SendAsync(HttpMethod.Post, ("command", "login"), ("username", "session-ada"), ("password", "s3cret-Password"), ("domain", "/"));
        Assert.Equal(HttpStatusCode.OK, status);
        var login = body["loginresponse"]!;
        var key = login.Value<string>("sessionkey")!;
        Assert.Equal("session-ada", login.Value<string>("account"));
        Assert.Equal("0", login.Value<string>("type"));
        Assert.Equal(1800, login.Value<int>("timeout"));
        Assert.Contains(cookies, c => c.StartsWith("JSESSIONID=", StringComparison.Ordinal) && c.Contains("httponly", StringComparison.OrdinalIgnoreCase));
        Assert.Contains(cookies, c => c.StartsWith("sessionkey=" + key, StringComparison.Ordinal) && c.Contains("httponly", StringComparison.OrdinalIgnoreCase));

        var (listed, list, _) = await browser.SendAsync(HttpMethod.Get, ("command", "listUsers"), ("sessionkey", key));
        Assert.Equal(HttpStatusCode.OK, listed);
        Assert.Equal("session-ada", list["listusersresponse"]!["user"]![0]!.Value<string>("username"));

        var (noKey, noKeyBody, _) = await browser.SendAsync(HttpMethod.Get, ("command", "listUsers"));
        Assert.Equal(401, (int)noKey);
        Assert.Equal("unable to verify user credentials", noKeyBody["listusersresponse"]!.Value<string>("errortext"));
        // CloudStack ends a session whose key did not match: the next good call is refused too
        var (ended, _, _) = await browser.SendAsync(HttpMethod.Get, ("command", "listUsers"), ("sessionkey", key));
        Assert.Equal(401, (int)ended);

        (status, body, _) = await browser.SendAsync(HttpMethod.Post, ("command", "login"), ("username", "session-ada"), ("password", "s3cret-Password"));
        key = body["loginresponse"]!.Value<string>("sessionkey")!;
        var (logout, logoutBody, cleared) = await browser.SendAsync(HttpMethod.Get, ("command", "logout"), ("sessionkey", key));
        Assert.Equal(HttpStatusCode.OK, logout);
        Assert.Equal("success", logoutBody["logoutresponse"]!.Value<string>("description"));
        Assert.Contains(cleared, c => c.StartsWith("JSESSIONID=;", StringComparison.Ordinal));
        var (after, _, _) = await browser.SendAsync(HttpMethod.Get, ("command", "listUsers"), ("sessionkey", key));
        Assert.Equal(401, (int)after);
    }

    [Fact]
    public async Task a_session_key_taken_from_another_session_or_a_forged_cookie_is_refused()
    {
        await CreateAccountAsync("session-bea", "another-Password1");
        using var victim = new Browser(world);
        var (_, body, _) = await victim.SendAsync(HttpMethod.Post, ("command", "login"), ("username", "session-bea"), ("password", "another-Password1"));
        var key = body["loginresponse"]!.Value<string>("sessionkey")!;

        // a cross-site request carries the victim's cookies but cannot know the key; a stolen key without the cookie fails too
        using var forger = new Browser(world);
        forger.SetCookie("JSESSIONID", victim.Cookie("JSESSIONID")!);
        forger.SetCookie("sessionkey", "guessed");
        var (forged, forgedBody, _) = await forger.SendAsync(HttpMethod.Get, ("command", "listVirtualMachines"), ("sessionkey", key));
        Assert.Equal(401, (int)forged);
        Assert.Equal(401, forgedBody["listvirtualmachinesresponse"]!.Value<int>("errorcode"));
        using var thief = new Browser(world);
        var (stolen, _, _) = await thief.SendAsync(HttpMethod.Get, ("command", "listVirtualMachines"), ("sessionkey", key));
        Assert.Equal(401, (int)stolen);
    }

    [Fact]
    public async Task wrong_passwords_answer_531_get_slower_after_a_few_and_are_recorded()
    {
        await CreateAccountAsync("session-cid", "right-Password9");
        using var browser = new Browser(world);
        var times = new List<long>();
        for (var i = 0; i < 5; i++)
        {
            var clock = Stopwatch.StartNew();
            var (status, body, _) = await browser.SendAsync(HttpMethod.Post, ("command", "login"), ("username", "session-cid"), ("password", "wrong" + i));
            times.Add(clock.ElapsedMilliseconds);
            Assert.Equal(531, (int)status);
            var error = body["loginresponse"]!;
            Assert.Equal(531, error.Value<int>("errorcode"));
            Assert.Null(error["cserrorcode"]);
            Assert.StartsWith("Failed to authenticate user session-cid", error.Value<string>("errortext"), StringComparison.Ordinal);
        }
        // three failures are answered at once, the fourth waits 1 s, the fifth 2 s
        Assert.True(times[3] >= 900 && times[4] >= 1900, string.Join(", ", times));
        var refusals = (await world.Tap.AllAsync()).Where(m => m.RoutingKey.Contains("API-REQUEST-REFUSE", StringComparison.Ordinal)
            && m.Body.Contains("Failed to authenticate user session-cid", StringComparison.Ordinal)).ToList();
        Assert.Equal(5, refusals.Count);

        var (ok, _, _) = await browser.SendAsync(HttpMethod.Post, ("command", "login"), ("username", "session-cid"), ("password", "right-Password9"));
        Assert.Equal(HttpStatusCode.OK, ok);
    }

    [Fact]
    public async Task users_are_managed_with_cloudstacks_commands_and_their_keys_sign_requests()
    {
        var account = await CreateAccountAsync("users-dan", "first-Password1");
        var dan = account["user"]![0]!.Value<string>("id")!;
        var second = (await world.Admin.OkAsync("createUser", ("username", "users-dan-2"), ("password", "second-Password2"), ("firstname", "D"),
            ("lastname", "Two"), ("email", "d2@example.org"), ("account", "users-dan")))["user"]!;
        Assert.Equal("users-dan", second.Value<string>("account"));
        var (taken, _) = await world.Admin.CallAsync("createUser", ("username", "users-dan-2"), ("password", "x"), ("firstname", "D"),
            ("lastname", "Two"), ("email", "d2@example.org"), ("account", "users-dan"));
        Assert.Equal(431, (int)taken);

        var keys = (await world.Admin.OkAsync("registerUserKeys", ("id", dan)))["userkeys"]!;
        var client = world.Client(keys.Value<string>("apikey")!, keys.Value<string>("secretkey")!);
        var users = await client.OkAsync("listUsers");
        Assert.Equal(2, users.Value<int>("count"));
        Assert.Equal(keys.Value<string>("apikey"), (await client.OkAsync("getUserKeys", ("id", dan)))["userkeys"]!.Value<string>("apikey"));
        var accounts = await client.OkAsync("listAccounts");
        Assert.Equal("users-dan", accounts["account"]![0]!.Value<string>("name"));
        Assert.Equal(1, accounts.Value<int>("count"));

        var (noCurrent, _) = await client.CallAsync("updateUser", ("id", dan), ("password", "new-Password3"));
        Assert.Equal(431, (int)noCurrent);
        await client.OkAsync("updateUser", ("id", dan), ("password", "new-Password3"), ("currentpassword", "first-Password1"));
        var (otherUser, _) = await client.CallAsync("getUserKeys", ("id", second.Value<string>("id")!));
        Assert.Equal(531, (int)otherUser);

        using var browser = new Browser(world);
        var (old, _, _) = await browser.SendAsync(HttpMethod.Post, ("command", "login"), ("username", "users-dan"), ("password", "first-Password1"));
        Assert.Equal(531, (int)old);
        var (fresh, _, _) = await browser.SendAsync(HttpMethod.Post, ("command", "login"), ("username", "users-dan"), ("password", "new-Password3"));
        Assert.Equal(HttpStatusCode.OK, fresh);

        // a new pair replaces the old one, as CloudStack's registerUserKeys does
        await world.Admin.OkAsync("registerUserKeys", ("id", dan));
        var (replaced, _) = await client.CallAsync("listUsers");
        Assert.Equal(401, (int)replaced);
    }
}
