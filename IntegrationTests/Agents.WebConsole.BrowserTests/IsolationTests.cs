using System.Text.Json.Nodes;
using Agents.WebConsole.BrowserTests.Support;
using Microsoft.Playwright;

namespace Agents.WebConsole.BrowserTests;

/// <summary>alice (acme) and globex's VM: not in her lists, not at its URL, not through the API with her console session.</summary>
[Collection(ConsoleCollection.Name)]
public sealed class IsolationTests(ConsoleStack stack)
{
    [Fact]
    public async Task a_user_can_neither_see_nor_act_on_another_accounts_vm()
    {
        var page = await stack.AliceAsync();

        await page.GotoAsync(stack.ConsoleUrl + "vms?q=&page=1");
        await page.GetByRole(AriaRole.Link, new() { Name = stack.FanOutVms[1].Name, Exact = true }).WaitForAsync();
        Assert.Equal(0, await page.GetByText(ConsoleStack.HostileName).CountAsync());
        Assert.DoesNotContain(stack.GlobexVmId, await page.ContentAsync(), StringComparison.Ordinal);
        Assert.Equal(0, await page.GetByRole(AriaRole.Link, new() { Name = "Routers" }).CountAsync());

        await page.GotoAsync(stack.ConsoleUrl + "vm/" + stack.GlobexVmId);
        Assert.Equal("No such VM, or not one of yours.", (await page.GetByRole(AriaRole.Alert).TextContentAsync())?.Trim());
        Assert.Equal(0, await page.GetByRole(AriaRole.Button, new() { Name = "Reset password" }).CountAsync());
        await page.GotoAsync(stack.ConsoleUrl + "deploy?vm=" + stack.GlobexVmId);
        Assert.Contains("does not have permission", await page.GetByRole(AriaRole.Alert).First.TextContentAsync() ?? "", StringComparison.Ordinal);

        // the API itself, with the session the console signed in with
        var key = (await page.Context.CookiesAsync()).Single(c => c.Name == "sessionkey" && c.Path == "/client").Value;
        var reset = await page.Context.APIRequest.PostAsync("/client/api", new()
        {
            Form = SignInTests.Form(page, ("command", "resetPasswordForVirtualMachine"), ("id", stack.GlobexVmId), ("response", "json"), ("sessionkey", key)),
        });
        Assert.Equal(531, reset.Status);
        var listed = await page.Context.APIRequest.PostAsync("/client/api", new()
        {
            Form = SignInTests.Form(page, ("command", "listVirtualMachines"), ("response", "json"), ("listall", "true"), ("sessionkey", key)),
        });
        Assert.Equal(200, listed.Status);
        var vms = JsonNode.Parse(await listed.TextAsync())!["listvirtualmachinesresponse"]!["virtualmachine"]!.AsArray();
        Assert.Equal(stack.AcmeVms.Select(v => v.Id).Order(), vms.Select(vm => vm!["id"]!.GetValue<string>()).Order());
        Assert.All(vms, vm => Assert.Equal("acme", vm!["account"]!.GetValue<string>()));

        // admin pages are the API's to refuse, whatever the URL
        await page.GotoAsync(stack.ConsoleUrl + "routers");
        Assert.Contains("does not exist or it is not available for user", await page.GetByRole(AriaRole.Alert).TextContentAsync() ?? "", StringComparison.Ordinal);
    }
}
