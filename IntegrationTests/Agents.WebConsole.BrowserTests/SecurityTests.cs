using Agents.WebConsole.BrowserTests.Support;
using Microsoft.Playwright;

namespace Agents.WebConsole.BrowserTests;

[Collection(ConsoleCollection.Name)]
public sealed class SecurityTests(ConsoleStack stack)
{
    [Fact]
    public async Task a_forged_request_without_the_anti_forgery_token_is_refused_and_changes_nothing()
    {
        var vm = stack.FanOutVms[2];
        var page = await stack.AliceAsync();
        var jobsBefore = await JobsOfAsync(vm.Id);

        // a signed-in browser posting a form another site wrote: the session cookies go along, the token cannot
        var forged = await page.Context.APIRequest.PostAsync("/console/vm/" + vm.Id, new() { Form = SignInTests.Form(page, ("_handler", "reset-password"), ("PasswordUser", "root")) });
        Assert.Equal(400, forged.Status);
        var stolenToken = await page.Context.APIRequest.PostAsync("/console/vm/" + vm.Id, new()
        {
            Form = SignInTests.Form(page, ("_handler", "reset-password"), ("PasswordUser", "root"), ("__console_token", "CfDJ8forged")),
        });
        Assert.Equal(400, stolenToken.Status);
        var logout = await page.Context.APIRequest.PostAsync("/console/logout", new() { Form = SignInTests.Form(page, ("x", "y")) });
        Assert.Equal(400, logout.Status);

        Assert.Equal(jobsBefore, await JobsOfAsync(vm.Id));
        // still signed in: the forged logout did nothing
        await page.GotoAsync(stack.ConsoleUrl + "vm/" + vm.Id);
        await page.GetByRole(AriaRole.Button, new() { Name = "Reset password" }).WaitForAsync();
    }

    [Fact]
    public async Task pages_run_no_inline_script_and_only_configured_origins_may_frame_them()
    {
        var page = await stack.OpenAsync();
        var response = await page.Context.APIRequest.GetAsync("/console/login");
        var csp = response.Headers["content-security-policy"];
        Assert.Contains("script-src 'self'", csp, StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe-inline", csp, StringComparison.Ordinal);
        Assert.EndsWith("frame-ancestors 'self'", csp, StringComparison.Ordinal);
        Assert.Contains("no-store", response.Headers["cache-control"], StringComparison.Ordinal);
        Assert.Equal("nosniff", response.Headers["x-content-type-options"]);

        // an inline script a value might smuggle in would not run: the browser enforces the policy
        var violations = 0;
        page.Console += (_, message) => { if (message.Text.Contains("Content Security Policy", StringComparison.Ordinal)) violations++; };
        await page.EvaluateAsync("() => { const s = document.createElement('script'); s.textContent = 'window.__ran = 1'; document.body.appendChild(s); }");
        Assert.Null(await page.EvaluateAsync<int?>("() => window.__ran ?? null"));
        Assert.True(violations > 0);
    }

    [Fact]
    public async Task a_deep_link_in_embedded_mode_asks_to_sign_in_and_opens_without_outer_navigation()
    {
        var vm = stack.FanOutVms[3];
        var page = await stack.OpenAsync($"vm/{vm.Id}?embed=1");
        Assert.Contains("/console/login?returnUrl=", page.Url, StringComparison.Ordinal);
        Assert.EndsWith("&embed=1", page.Url, StringComparison.Ordinal);
        await page.GetByLabel("Username").FillAsync(ConsoleStack.AliceUser);
        await page.GetByLabel("Password", new() { Exact = true }).FillAsync(stack.AlicePassword);
        await page.GetByRole(AriaRole.Button, new() { Name = "Log in" }).ClickAsync();
        await page.GetByRole(AriaRole.Heading, new() { Name = "VM " + vm.Name }).WaitForAsync();
        Assert.EndsWith($"/console/vm/{vm.Id}?embed=1", page.Url, StringComparison.Ordinal);
        Assert.Equal(0, await page.GetByRole(AriaRole.Navigation, new() { Name = "Main" }).CountAsync());
        Assert.EndsWith($"/console/deploy?vm={vm.Id}&embed=1", await page.GetByRole(AriaRole.Link, new() { Name = "First-boot recipes" }).GetAttributeAsync("href") ?? "", StringComparison.Ordinal);
    }

    private async Task<int> JobsOfAsync(string vmId)
    {
        var jobs = await stack.Admin.CallAsync("listAsyncJobs", ("pagesize", "-1"));
        return (jobs["asyncjobs"]?.AsArray() ?? []).Count(j => j?["jobinstanceid"]?.GetValue<string>() == vmId);
    }
}
