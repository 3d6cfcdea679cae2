using Agents.Demo.Steps;
using Agents.WebConsole.BrowserTests.Support;
using Microsoft.Playwright;

namespace Agents.WebConsole.BrowserTests;

[Collection(ConsoleCollection.Name)]
public sealed class FanOutTests(ConsoleStack stack)
{
    [Fact]
    public async Task a_recipe_fanned_out_over_twenty_agents_fills_the_progress_bar_with_the_right_counts()
    {
        var page = await stack.AdminAsync();
        await ConsoleStack.ScreenshotAsync(page, "overview");
        await page.GotoAsync(stack.ConsoleUrl + "vms?q=fan-");
        foreach (var vm in stack.FanOutVms)
            await page.GetByRole(AriaRole.Checkbox, new() { Name = "Select " + vm.Name, Exact = true }).CheckAsync();
        await page.GetByLabel("Recipe").SelectOptionAsync(DemoPolicy.AllowedRecipe);
        await page.GetByLabel("Max concurrency").FillAsync("2");
        await page.GetByLabel("Max errors").FillAsync("0");
        await page.GetByRole(AriaRole.Button, new() { Name = "Run recipe" }).ClickAsync();

        await page.WaitForURLAsync("**/console/job/*");
        var progress = page.GetByRole(AriaRole.Progressbar);
        await progress.WaitForAsync();
        Assert.Equal("20", await progress.GetAttributeAsync("max"));
        if (await page.Locator("[data-job-status=Running]").CountAsync() > 0) await ConsoleStack.ScreenshotAsync(page, "fan-out-job");

        // the page follows the job by itself (no reload) until every target is done
        await page.Locator(".shell[data-connected=true]").WaitForAsync();
        var toasts = await ToastLog.StartAsync(page);
        var marker = await page.EvaluateAsync<string>("() => (window.__sameDocument = crypto.randomUUID())");
        await page.Locator("[data-job-status=Succeeded]").WaitForAsync(new() { Timeout = 120_000 });
        Assert.Equal(marker, await page.EvaluateAsync<string>("() => window.__sameDocument"));
        Assert.Equal("20", await page.GetByRole(AriaRole.Progressbar).GetAttributeAsync("value"));
        Assert.Equal("20", await page.Locator("[data-count=done]").TextContentAsync());
        Assert.Equal("20", await page.Locator("[data-status=Success] strong").TextContentAsync());
        Assert.Equal(0, await page.Locator("[data-status=Failed]").CountAsync());
        Assert.Equal(0, await page.GetByRole(AriaRole.Button, new() { Name = "Cancel" }).CountAsync());
        // and the job's end came as a notification
        await toasts.WaitForAsync("job", "Job runAgentRecipe succeeded");
    }
}
