using Agents.VmAgent.Core.Crypto;
using Agents.WebConsole.BrowserTests.Support;
using Microsoft.Playwright;

namespace Agents.WebConsole.BrowserTests;

[Collection(ConsoleCollection.Name)]
public sealed class VmTests(ConsoleStack stack)
{
    [Fact]
    public async Task reset_password_shows_once_the_password_the_agent_applied()
    {
        var vm = stack.FanOutVms[0];
        var page = await stack.AliceAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "VMs", Exact = true }).ClickAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = vm.Name, Exact = true }).ClickAsync();
        await page.GetByRole(AriaRole.Heading, new() { Name = "VM " + vm.Name }).WaitForAsync();
        Assert.EndsWith("/console/vm/" + vm.Id, page.Url, StringComparison.Ordinal);

        await page.GetByRole(AriaRole.Button, new() { Name = "Reset password" }).ClickAsync();
        var box = page.GetByLabel("Password", new() { Exact = true });
        await box.WaitForAsync();
        var password = await box.InputValueAsync();
        Assert.True(password.Length >= 12, $"password '{password.Length}' chars");
        Assert.True(await page.GetByRole(AriaRole.Button, new() { Name = "Copy password" }).IsVisibleAsync());

        // equal to what the agent applied: its sandbox shadow file holds the hash
        var shadow = Path.Combine(stack.Layout.SandboxRoot(vm.Id), "etc", "shadow");
        var hash = File.ReadAllLines(shadow).Select(l => l.Split(':')).First(f => f[0] == "root")[1];
        Assert.True(Sha512Crypt.Verify(password, hash), "the shown password is not the one the agent set");
        await ConsoleStack.ScreenshotAsync(page, "vm");

        // once: the page shown again has no password, and the page never stored it
        await page.GotoAsync(page.Url);
        await page.GetByRole(AriaRole.Heading, new() { Name = "VM " + vm.Name }).WaitForAsync();
        Assert.Equal(0, await page.GetByLabel("Password", new() { Exact = true }).CountAsync());
        Assert.DoesNotContain(password, await page.ContentAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task a_hostile_vm_name_is_shown_as_text()
    {
        var page = await stack.SignedInAsync(ConsoleStack.BobUser, stack.BobPassword);
        var alerts = 0;
        page.Dialog += async (_, dialog) => { alerts++; await dialog.DismissAsync(); };
        await page.GotoAsync(stack.ConsoleUrl + "vms");
        var link = page.GetByRole(AriaRole.Link, new() { Name = ConsoleStack.HostileName, Exact = true });
        await link.WaitForAsync();
        await link.ClickAsync();
        Assert.Equal(ConsoleStack.HostileName, (await page.Locator("h1 .name").TextContentAsync())?.Trim());
        Assert.Equal(0, await page.Locator("img").CountAsync());
        Assert.Equal(0, alerts);
    }
}
