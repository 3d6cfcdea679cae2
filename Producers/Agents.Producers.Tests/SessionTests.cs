using System.Diagnostics;
using System.Text.Json.Nodes;
using Agents.Producers.Client;
using Agents.Producers.Tests.Support;
using Agents.Testing;

namespace Agents.Producers.Tests;

/// <summary>CloudStack's sign-in: accounts and users made with its commands, login/logout, the session cookie and sessionkey checks.</summary>
[Collection(WorldCollection.Name)]
public sealed class SessionTests(World world)
{
    private async Task<JsonNode> CreateAccountAsync(string name, string password) =>
        (await world.Admin.CallAsync("createAccount", ("username", name), ("password", password), ("firstname", "Ada"), ("lastname", "Lovelace"),
            ("email", $"{name}@example.org"), ("account", name)))["account"]!;

    private ApiBrowser Browser() => new(world.ApiEndpoint);

    [Fact]
    public async Task a_user_signs_in_with_post_calls_with_its_session_and_key_and_is_out_after_logout()
    {
        var account = await CreateAccountAsync("session-ada", "s3cret-Password");
        Assert.Equal("session-ada", account["user"]![0]!["username"]!.GetValue<string>());
        using var browser = Browser();

        var get = await browser.GetAsync(("command", "login"), ("username", "session-ada"), ("password", "s3cret-Password"));
        Assert.Equal(405, get.Status);
        Assert.Equal(405, get.Body!["loginresponse"]!["errorcode"]!.GetValue<int>());

        var answer = await browser.PostAsync(("command", "login"), ("username", "session-ada"), ("password", "s3cret-Password"), ("domain", "/"));
        Assert.Equal(200, answer.Status);
        var login = answer.Body!["loginresponse"]!;
        var key = login["sessionkey"]!.GetValue<string>();
        Assert.Equal("session-ada", login["account"]!.GetValue<string>());
        Assert.Equal("0", ResponseValues.Text(login["type"]));
        Assert.Equal(1800, ResponseValues.Int(login["timeout"]));
        Assert.Contains(answer.SetCookies, c => c.StartsWith("JSESSIONID=", StringComparison.Ordinal) && c.Contains("httponly", StringComparison.OrdinalIgnoreCase));
        Assert.Contains(answer.SetCookies, c => c.StartsWith("sessionkey=" + key, StringComparison.Ordinal) && c.Contains("httponly", StringComparison.OrdinalIgnoreCase));

        var list = await browser.GetAsync(("command", "listUsers"), ("sessionkey", key));
        Assert.Equal(200, list.Status);
        Assert.Equal("session-ada", list.Body!["listusersresponse"]!["user"]![0]!["username"]!.GetValue<string>());

        var noKey = await browser.GetAsync(("command", "listUsers"));
        Assert.Equal(401, noKey.Status);
        Assert.Equal("unable to verify user credentials", noKey.Body!["listusersresponse"]!["errortext"]!.GetValue<string>());
        // CloudStack ends a session whose key did not match: the next good call is refused too
        Assert.Equal(401, (await browser.GetAsync(("command", "listUsers"), ("sessionkey", key))).Status);

        answer = await browser.PostAsync(("command", "login"), ("username", "session-ada"), ("password", "s3cret-Password"));
        key = answer.Body!["loginresponse"]!["sessionkey"]!.GetValue<string>();
        var logout = await browser.GetAsync(("command", "logout"), ("sessionkey", key));
        Assert.Equal(200, logout.Status);
        Assert.Equal("success", logout.Body!["logoutresponse"]!["description"]!.GetValue<string>());
        Assert.Contains(logout.SetCookies, c => c.StartsWith("JSESSIONID=;", StringComparison.Ordinal));
        Assert.Equal(401, (await browser.GetAsync(("command", "listUsers"), ("sessionkey", key))).Status);
    }

    [Fact]
    public async Task a_session_key_taken_from_another_session_or_a_forged_cookie_is_refused()
    {
        await CreateAccountAsync("session-bea", "another-Password1");
        using var victim = Browser();
        var login = await victim.PostAsync(("command", "login"), ("username", "session-bea"), ("password", "another-Password1"));
        var key = login.Body!["loginresponse"]!["sessionkey"]!.GetValue<string>();

        // a cross-site request carries the victim's cookies but cannot know the key; a stolen key without the cookie fails too
        using var forger = Browser();
        forger.SetCookie("JSESSIONID", victim.Cookie("JSESSIONID")!);
        forger.SetCookie("sessionkey", "guessed");
        var forged = await forger.GetAsync(("command", "listVirtualMachines"), ("sessionkey", key));
        Assert.Equal(401, forged.Status);
        Assert.Equal(401, forged.Body!["listvirtualmachinesresponse"]!["errorcode"]!.GetValue<int>());
        using var thief = Browser();
        Assert.Equal(401, (await thief.GetAsync(("command", "listVirtualMachines"), ("sessionkey", key))).Status);
    }

    [Fact]
    public async Task wrong_passwords_answer_531_get_slower_after_a_few_and_are_recorded()
    {
        await CreateAccountAsync("session-cid", "right-Password9");
        using var browser = Browser();
        var times = new List<long>();
        for (var i = 0; i < 5; i++)
        {
            var clock = Stopwatch.StartNew();
            var answer = await browser.PostAsync(("command", "login"), ("username", "session-cid"), ("password", "wrong" + i));
            times.Add(clock.ElapsedMilliseconds);
            Assert.Equal(531, answer.Status);
            var error = answer.Body!["loginresponse"]!;
            Assert.Equal(531, error["errorcode"]!.GetValue<int>());
            Assert.Null(error["cserrorcode"]);
            Assert.StartsWith("Failed to authenticate user session-cid", error["errortext"]!.GetValue<string>(), StringComparison.Ordinal);
        }
        // three failures are answered at once, the fourth waits 1 s, the fifth 2 s
        Assert.True(times[3] >= 900 && times[4] >= 1900, string.Join(", ", times));
        var refusals = (await world.Tap.AllAsync()).Where(m => m.RoutingKey.Contains("API-REQUEST-REFUSE", StringComparison.Ordinal)
            && m.Body.Contains("Failed to authenticate user session-cid", StringComparison.Ordinal)).ToList();
        Assert.Equal(5, refusals.Count);

        using var signedIn = await CloudStackClient.LoginAsync(world.ApiEndpoint, "session-cid", "right-Password9");
        Assert.Equal("session-cid", signedIn.Session!.Account);
    }

    [Fact]
    public async Task users_are_managed_with_cloudstacks_commands_and_their_keys_sign_requests()
    {
        var account = await CreateAccountAsync("users-dan", "first-Password1");
        var dan = account["user"]![0]!["id"]!.GetValue<string>();
        var second = (await world.Admin.CallAsync("createUser", ("username", "users-dan-2"), ("password", "second-Password2"), ("firstname", "D"),
            ("lastname", "Two"), ("email", "d2@example.org"), ("account", "users-dan")))["user"]!;
        Assert.Equal("users-dan", second["account"]!.GetValue<string>());
        await ApiAssert.RefusedAsync(431, () => world.Admin.CallAsync("createUser", ("username", "users-dan-2"), ("password", "x"), ("firstname", "D"),
            ("lastname", "Two"), ("email", "d2@example.org"), ("account", "users-dan")));

        var keys = (await world.Admin.CallAsync("registerUserKeys", ("id", dan)))["userkeys"]!;
        var apiKey = keys["apikey"]!.GetValue<string>();
        using var client = world.Client(apiKey, keys["secretkey"]!.GetValue<string>());
        Assert.Equal(2, ResponseValues.Count(await client.CallAsync("listUsers")));
        Assert.Equal(apiKey, (await client.CallAsync("getUserKeys", ("id", dan)))["userkeys"]!["apikey"]!.GetValue<string>());
        var accounts = await client.CallAsync("listAccounts");
        Assert.Equal("users-dan", accounts["account"]![0]!["name"]!.GetValue<string>());
        Assert.Equal(1, ResponseValues.Count(accounts));

        await ApiAssert.RefusedAsync(431, () => client.CallAsync("updateUser", ("id", dan), ("password", "new-Password3")));
        await client.CallAsync("updateUser", ("id", dan), ("password", "new-Password3"), ("currentpassword", "first-Password1"));
        await ApiAssert.RefusedAsync(531, () => client.CallAsync("getUserKeys", ("id", second["id"]!.GetValue<string>())));

        await ApiAssert.RefusedAsync(531, () => CloudStackClient.LoginAsync(world.ApiEndpoint, "users-dan", "first-Password1"));
        using (var signedIn = await CloudStackClient.LoginAsync(world.ApiEndpoint, "users-dan", "new-Password3"))
            Assert.Equal("users-dan", (await signedIn.CallAsync("listUsers", ("id", dan)))["user"]![0]!["username"]!.GetValue<string>());

        // a new pair replaces the old one, as CloudStack's registerUserKeys does
        await world.Admin.CallAsync("registerUserKeys", ("id", dan));
        await ApiAssert.RefusedAsync(401, () => client.CallAsync("listUsers"));
    }
}
