using System.Diagnostics;
using Agents.Producers.Client;
using Agents.Testing;
using Agents.WebConsole.BrowserTests.Support;
using Microsoft.Playwright;

namespace Agents.WebConsole.BrowserTests;

[Collection(ConsoleCollection.Name)]
public sealed class SignInTests(ConsoleStack stack)
{
    [Fact]
    public async Task signing_in_goes_through_the_apis_login_and_logging_out_ends_the_session()
    {
        var page = await stack.OpenAsync("vms");
        Assert.EndsWith("/console/login?returnUrl=%2Fconsole%2Fvms", page.Url, StringComparison.Ordinal);
        await page.GetByLabel("Username").FillAsync(ConsoleStack.AliceUser);
        await page.GetByLabel("Password", new() { Exact = true }).FillAsync(stack.AlicePassword);
        await page.GetByRole(AriaRole.Button, new() { Name = "Log in" }).ClickAsync();
        await page.GetByRole(AriaRole.Heading, new() { Name = "VMs and their agents" }).WaitForAsync();

        // the API's session, kept for /console as for /client: HttpOnly, SameSite=Strict (not Secure: this stack is plain http)
        var cookies = await page.Context.CookiesAsync();
        var console = cookies.Single(c => c.Name == "JSESSIONID" && c.Path == "/console");
        var api = cookies.Single(c => c.Name == "JSESSIONID" && c.Path == "/client");
        Assert.Equal(api.Value, console.Value);
        Assert.True(console.HttpOnly);
        Assert.Equal(SameSiteAttribute.Strict, console.SameSite);
        Assert.True(cookies.Single(c => c.Name == "sessionkey" && c.Path == "/console").HttpOnly);

        await page.GetByRole(AriaRole.Button, new() { Name = "Log out" }).ClickAsync();
        await page.GetByRole(AriaRole.Heading, new() { Name = "Sign in" }).WaitForAsync();
        Assert.DoesNotContain(await page.Context.CookiesAsync(), c => c.Path == "/console" && c.Name == "JSESSIONID");
        // the session is over for the API too: its old cookies no longer sign anything
        var after = await page.Context.APIRequest.PostAsync("/client/api", new() { Form = Form(page, ("command", "listVirtualMachines"), ("response", "json"), ("sessionkey", api.Value)) });
        Assert.Equal(401, after.Status);
        await page.GotoAsync(stack.ConsoleUrl + "vms");
        Assert.Contains("/console/login", page.Url, StringComparison.Ordinal);
    }

    [Fact]
    public async Task a_wrong_password_is_refused_slowed_down_and_recorded()
    {
        var page = await stack.OpenAsync();
        var times = new List<TimeSpan>();
        for (var attempt = 0; attempt < 5; attempt++)
        {
            await page.GetByLabel("Username").FillAsync(ConsoleStack.BobUser);
            await page.GetByLabel("Password", new() { Exact = true }).FillAsync("not-" + stack.BobPassword);
            var clock = Stopwatch.StartNew();
            await page.GetByRole(AriaRole.Button, new() { Name = "Log in" }).ClickAsync();
            var alert = page.GetByRole(AriaRole.Alert);
            await alert.WaitForAsync();
            times.Add(clock.Elapsed);
            Assert.Contains("Failed to authenticate user bob", await alert.TextContentAsync() ?? "", StringComparison.Ordinal);
            Assert.Contains("/console/login", page.Url, StringComparison.Ordinal);
        }
        // three free tries, then 1 s, then 2 s (the API's throttle): only the floors are asserted, as a
        // comparison with the first try's wall-clock time failed on a loaded machine (first 1.9 s, fifth 2.7 s)
        Assert.True(times[3] >= TimeSpan.FromSeconds(1), $"fourth refusal took {times[3]}");
        Assert.True(times[4] >= TimeSpan.FromSeconds(2), $"fifth refusal took {times[4]}");

        // each refusal is an API.REQUEST.REFUSE event in the audit log
        await Eventually.TrueAsync(async () =>
        {
            var events = await stack.Admin.CallAsync("listEvents", ("type", "API.REQUEST.REFUSE"), ("keyword", "login"), ("pagesize", "50"), ("page", "1"));
            return (events["event"]?.AsArray() ?? []).Count(e => ResponseValues.Text(e?["description"]).Contains("Failed to authenticate user bob", StringComparison.Ordinal)) >= 5;
        }, "five refused logins of bob in listEvents", 60);

        // the right password still works (after its own wait), and clears the count
        await page.GetByLabel("Username").FillAsync(ConsoleStack.BobUser);
        await page.GetByLabel("Password", new() { Exact = true }).FillAsync(stack.BobPassword);
        await page.GetByRole(AriaRole.Button, new() { Name = "Log in" }).ClickAsync();
        await page.GetByRole(AriaRole.Heading, new() { Name = "Overview" }).WaitForAsync();
    }

    internal static IFormData Form(IPage page, params (string Key, string Value)[] fields)
    {
        var form = page.Context.APIRequest.CreateFormData();
        foreach (var (key, value) in fields) form.Set(key, value);
        return form;
    }
}
