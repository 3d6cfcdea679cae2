using Agents.Producers.Client;
using Agents.Demo.Steps;
using Agents.WebConsole.BrowserTests.Support;
using Microsoft.Playwright;

namespace Agents.WebConsole.BrowserTests;

/// <summary>The deploy-time choice of solutions: recipes chosen for a VM run once, as a job, when its agent first comes up.</summary>
[Collection(ConsoleCollection.Name)]
public sealed class FirstBootTests(ConsoleStack stack)
{
    [Fact]
    public async Task recipes_chosen_before_the_agent_first_comes_up_run_once_and_the_owner_is_notified()
    {
        var vm = stack.FirstBootVm;
        var page = await stack.AliceAsync();
        await page.GotoAsync($"{stack.ConsoleUrl}deploy?vm={vm.Id}&embed=1");
        await page.GetByRole(AriaRole.Checkbox, new() { Name = DemoPolicy.AllowedRecipe }).CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Save first-boot recipes" }).ClickAsync();
        await page.GetByRole(AriaRole.Status).Filter(new() { HasText = DemoPolicy.AllowedRecipe + " will run when the VM's agent first comes up" }).WaitForAsync();
        Assert.Equal("Pending", await StateAsync(vm.Id));
        await page.Locator(".shell[data-connected=true]").WaitForAsync();
        var toasts = await ToastLog.StartAsync(page);

        // the VM boots: its agent enrolls and reports Up, and the chosen recipe runs as alice's account's job
        await stack.Stack.StartAgentAsync(vm, await stack.Stack.EnrollmentTokenAsync(("virtualmachineid", vm.Id)));
        await toasts.WaitForAsync("job", "Job runAgentRecipe succeeded", 90_000);
        var jobs = await JobsOfAsync(vm.Id);
        var job = Assert.Single(jobs);
        Assert.Equal("acme", ResponseValues.Text(job?["account"]));
        Assert.Equal(1, job?["jobstatus"]?.GetValue<int>());
        var choice = await ChoiceAsync(vm.Id);
        Assert.Equal("Started", ResponseValues.Text(choice?["state"]));
        Assert.Equal(ResponseValues.Text(job?["jobid"]), ResponseValues.Text(choice?["jobid"]));

        // once: the agent coming up again runs nothing more, and the choice can no longer change
        await stack.Stack.RestartAgentAsync(vm, reenroll: false);
        await Task.Delay(TimeSpan.FromSeconds(3));
        Assert.Single(await JobsOfAsync(vm.Id));
        await page.GotoAsync($"{stack.ConsoleUrl}deploy?vm={vm.Id}&embed=1");
        Assert.True(await page.GetByRole(AriaRole.Button, new() { Name = "Save first-boot recipes" }).IsDisabledAsync());
    }

    private async Task<System.Text.Json.Nodes.JsonNode?> ChoiceAsync(string vmId) =>
        (await stack.Admin.CallAsync("listVMFirstBootRecipes", ("virtualmachineid", vmId)))["vmfirstbootrecipes"]?[0];

    private async Task<string?> StateAsync(string vmId) => ResponseValues.Text((await ChoiceAsync(vmId))?["state"]);

    private async Task<List<System.Text.Json.Nodes.JsonNode?>> JobsOfAsync(string vmId)
    {
        var jobs = await stack.Admin.CallAsync("listAsyncJobs", ("pagesize", "-1"));
        return [.. (jobs["asyncjobs"]?.AsArray() ?? []).Where(j => ResponseValues.Text(j?["jobinstanceid"]) == vmId)];
    }
}
