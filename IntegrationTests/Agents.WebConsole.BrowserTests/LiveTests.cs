using Agents.Demo.Stack;
using Agents.WebConsole.BrowserTests.Support;
using Microsoft.Playwright;

namespace Agents.WebConsole.BrowserTests;

/// <summary>Live notifications: what happens in the system shows in an open page, without a reload.</summary>
[Collection(ConsoleCollection.Name)]
public sealed class LiveTests(ConsoleStack stack)
{
    [Fact]
    public async Task a_failing_router_health_check_appears_as_a_notification_without_reload()
    {
        var page = await stack.AdminAsync();
        await page.GotoAsync(stack.ConsoleUrl + "routers");
        await page.GetByRole(AriaRole.Link, new() { Name = StackLayout.RouterId }).WaitForAsync();
        await page.Locator(".shell[data-connected=true]").WaitForAsync();
        var toasts = await ToastLog.StartAsync(page);
        var marker = await page.EvaluateAsync<string>("() => (window.__sameDocument = crypto.randomUUID())");

        await File.WriteAllTextAsync(stack.HealthFailMarker, "");
        try
        {
            await stack.Admin.CallAsync("getRouterHealthCheckResults", ("routerid", StackLayout.RouterId), ("performfreshchecks", "true"));
            var toast = await toasts.WaitForAsync("router-health", $"health check {ConsoleStack.HealthCheck} failed");
            Assert.Contains("disk /var is full", toast, StringComparison.Ordinal);
            await page.Locator($"tr[data-router='{StackLayout.RouterId}']").GetByText("failing").WaitForAsync();
            Assert.Equal(marker, await page.EvaluateAsync<string>("() => window.__sameDocument"));
            await ConsoleStack.ScreenshotAsync(page, "routers");
        }
        finally
        {
            File.Delete(stack.HealthFailMarker);
        }
        await stack.Admin.CallAsync("getRouterHealthCheckResults", ("routerid", StackLayout.RouterId), ("performfreshchecks", "true"));
        await toasts.WaitForAsync("router-health", "Resolved:");
    }

    [Fact]
    public async Task revoking_an_agents_certificate_shows_the_agent_go_down_live()
    {
        var vm = stack.SpareVm;
        var watcher = await stack.AdminAsync();
        await watcher.GotoAsync(stack.ConsoleUrl + "vm/" + vm.Id);
        await watcher.Locator("[data-agent-state=Up]").WaitForAsync();
        await watcher.Locator(".shell[data-connected=true]").WaitForAsync();
        var toasts = await ToastLog.StartAsync(watcher);
        var marker = await watcher.EvaluateAsync<string>("() => (window.__sameDocument = crypto.randomUUID())");

        var page = await stack.AdminAsync();
        await page.GotoAsync(stack.ConsoleUrl + "certificates?q=" + vm.Id);
        var row = page.Locator("tr[data-serial]").Filter(new() { HasText = vm.Id });
        await row.GetByRole(AriaRole.Button, new() { Name = "Revoke" }).ClickAsync();
        var confirm = page.GetByRole(AriaRole.Alertdialog);
        await confirm.WaitForAsync();
        await confirm.GetByRole(AriaRole.Button, new() { Name = "Revoke" }).ClickAsync();
        await page.GetByRole(AriaRole.Status).Filter(new() { HasText = "is revoked" }).WaitForAsync();

        await watcher.Locator("[data-agent-state=Down]").WaitForAsync(new() { Timeout = 20_000 });
        await toasts.WaitForAsync("agent", $"Agent of VM {vm.Id} is down");
        Assert.Equal(marker, await watcher.EvaluateAsync<string>("() => window.__sameDocument"));
    }
}
