using Agents.WebConsole.Components.Layout;
using Agents.WebConsole.Components.Pages;
using Agents.WebConsole.Components.Shared;
using Agents.WebConsole.Tests.Support;
using Agents.WebConsole.Views;
using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;

namespace Agents.WebConsole.Tests;

public sealed class PageTests
{
    private const string Hostile = "<img src=x onerror=alert(1)>";

    [Fact]
    public void a_hostile_vm_name_is_shown_as_text()
    {
        using var ctx = new ConsoleTestContext(ScriptedApi.User("acme"));
        ctx.Api.Answer("listVirtualMachines", $$"""{"count":1,"virtualmachine":[{"id":"vm-1","name":{{System.Text.Json.JsonSerializer.Serialize(Hostile)}},"account":"acme","routerid":"r-1"}]}""")
            .Answer("listAgents", """{"count":1,"agent":[{"virtualmachineid":"vm-1","state":"Up","version":"1.0","reason":"<script>x()</script>"}]}""")
            .Answer("listSSHKeyPairs", "{}").Answer("listAsyncJobs", "{}").Answer("listEvents", "{}");

        var page = ctx.Render<VmPage>(p => p.Add(x => x.Id, "vm-1"));

        Assert.Equal(Hostile, page.Find("h1 .name").TextContent);
        Assert.Empty(page.FindAll("img"));
        Assert.Empty(page.FindAll("main script, h1 script, dd script"));
        Assert.Contains("&lt;img src=x onerror=alert(1)&gt;", page.Markup, StringComparison.Ordinal);
    }

    [Fact]
    public void the_vm_page_offers_its_actions_as_named_buttons_with_labelled_fields()
    {
        using var ctx = new ConsoleTestContext(ScriptedApi.User("acme"));
        ctx.Api.Answer("listVirtualMachines", """{"count":1,"virtualmachine":[{"id":"vm-1","name":"web","account":"acme"}]}""")
            .Answer("listAgents", "{}").Answer("listAsyncJobs", "{}").Answer("listEvents", "{}")
            .Answer("listSSHKeyPairs", """{"count":1,"sshkeypair":[{"name":"ops-key"}]}""")
            .Answer("listAgentRecipes", """{"count":2,"agentrecipe":[{"name":"install-monitoring","description":"node exporter"},{"name":"backup-client","description":"restic"}]}""");

        var page = ctx.Render<VmPage>(p => p.Add(x => x.Id, "vm-1"));

        var buttons = page.FindAll("button").Select(b => b.TextContent.Trim()).ToList();
        Assert.Contains("Reset password", buttons);
        Assert.Contains("Reset SSH key", buttons);
        Assert.Contains("Run recipe", buttons);
        foreach (var field in page.FindAll("input:not([type=hidden]), select"))
            Assert.NotNull(page.Find($"label[for='{field.Id}']"));
        Assert.Equal(["install-monitoring", "backup-client"], page.FindAll("#recipe option").Select(o => o.GetAttribute("value")));
        // every call is made as the signed-in user, who sees only what the API lists for it
        Assert.All(ctx.Api.Calls, c => Assert.Equal("acme", c.User!.Account));
    }

    [Fact]
    public void a_vm_the_api_does_not_list_for_the_user_is_not_shown()
    {
        using var ctx = new ConsoleTestContext(ScriptedApi.User("acme"));
        ctx.Api.Answer("listVirtualMachines", "{}");

        var page = ctx.Render<VmPage>(p => p.Add(x => x.Id, "vm-of-globex"));

        Assert.Equal("No such VM, or not one of yours.", page.Find("[role=alert]").TextContent);
        Assert.Empty(page.FindAll("button"));
    }

    [Fact]
    public void the_vm_list_is_paged_by_the_api_and_links_to_the_next_page()
    {
        using var ctx = new ConsoleTestContext(ScriptedApi.Admin);
        ctx.Api.Answer("listAgents", "{}").Answer("listVirtualMachines", (_, p) =>
        {
            var page = int.Parse(p["page"], System.Globalization.CultureInfo.InvariantCulture);
            var rows = Enumerable.Range((page - 1) * 5 + 1, 5).Where(i => i <= 12).Select(i => $$"""{"id":"vm-{{i}}","name":"vm {{i}}"}""");
            return System.Text.Json.Nodes.JsonNode.Parse($$"""{"count":12,"virtualmachine":[{{string.Join(',', rows)}}]}""")!.AsObject();
        });
        ctx.Services.GetRequiredService<NavigationManager>().NavigateTo("/console/vms?page=2&q=vm");

        var page = ctx.Render<Vms>();

        Assert.Equal(5, page.FindAll("tbody tr").Count);
        Assert.Equal("vm 6", page.Find("tbody tr a").TextContent);
        Assert.Contains("Page 2 of 3 (6–10 of 12)", page.Find("nav.pager").TextContent, StringComparison.Ordinal);
        Assert.Equal("/console/vms?q=vm&page=3", page.Find("a[rel=next]").GetAttribute("href"));
        var call = ctx.Api.Calls.Single(c => c.Command == "listVirtualMachines");
        Assert.Equal(("2", "5", "vm"), (call.Parameters["page"], call.Parameters["pagesize"], call.Parameters["keyword"]));
    }

    [Fact]
    public void a_running_fan_out_job_shows_its_progress_counts_and_cancel()
    {
        using var ctx = new ConsoleTestContext(ScriptedApi.Admin);
        var targets = string.Join(',', Enumerable.Range(0, 20).Select(i => $$"""{"routerid":"r","virtualmachineid":"vm-{{i}}","status":"{{(i < 12 ? "Success" : i < 14 ? "Failed" : "Pending")}}"}"""));
        ctx.Api.Answer("listAsyncJobs", """{"count":1,"asyncjobs":[{"jobid":"j-1","cmd":"runAgentRecipe","jobstatus":0,"account":"admin","jobresult":{"agentjob":{"total":20,"recipe":"install-monitoring","targets":[""" + targets + "]}}}]}");

        var page = ctx.Render<JobPage>(p => p.Add(x => x.Id, "j-1"));

        var progress = page.Find("progress");
        Assert.Equal(("20", "14"), (progress.GetAttribute("max"), progress.GetAttribute("value")));
        Assert.Equal("14", page.Find("[data-count=done]").TextContent);
        Assert.Equal("12", page.Find("[data-status=Success] strong").TextContent);
        Assert.Equal("2", page.Find("[data-status=Failed] strong").TextContent);
        Assert.Equal("6", page.Find("[data-status=Pending] strong").TextContent);
        Assert.Equal("Cancel", page.Find("button.danger").TextContent);
        Assert.Equal("1000", page.Find("[data-live-region=job]").GetAttribute("data-live-poll"));
    }

    [Fact]
    public void a_user_is_not_offered_the_admin_pages()
    {
        using var user = new ConsoleTestContext(ScriptedApi.User("acme"));
        var links = user.Render<MainLayout>(p => p.Add(x => x.Body, (RenderFragment)(b => b.AddContent(0, "body")))).FindAll("nav a").Select(a => a.TextContent).ToList();
        Assert.Equal(["Overview", "VMs", "Jobs", "Events"], links);

        using var admin = new ConsoleTestContext(ScriptedApi.Admin);
        var adminLinks = admin.Render<MainLayout>(p => p.Add(x => x.Body, (RenderFragment)(b => b.AddContent(0, "body")))).FindAll("nav a").Select(a => a.TextContent).ToList();
        Assert.Equal(["Overview", "VMs", "Routers", "Jobs", "Certificates", "Events"], adminLinks);
    }

    [Fact]
    public void the_embedded_layout_has_no_outer_navigation_but_still_a_log_out()
    {
        using var ctx = new ConsoleTestContext(ScriptedApi.User("acme"));
        ctx.Context.Embedded = true;
        var layout = ctx.Render<MainLayout>(p => p.Add(x => x.Body, (RenderFragment)(b => b.AddContent(0, "body"))));
        Assert.Empty(layout.FindAll("nav"));
        Assert.Equal("Log out", layout.Find("button").TextContent);
        Assert.Equal("/console/vm/x?embed=1", ctx.Context.Link("/console/vm/x"));
    }

    [Fact]
    public void the_one_time_password_has_a_label_and_a_copy_button()
    {
        using var ctx = new ConsoleTestContext(ScriptedApi.User("acme"));
        var box = ctx.Render<OneTimePassword>(p => p.Add(x => x.Password, "s3cret!A").Add(x => x.UserName, "root"));
        Assert.Equal("s3cret!A", box.Find("#new-password").GetAttribute("value"));
        Assert.Equal("Password", box.Find("label[for=new-password]").TextContent);
        Assert.Equal("new-password", box.Find("button").GetAttribute("data-copy"));
    }

    [Fact]
    public void routers_with_failing_checks_come_first()
    {
        var passing = new HealthCheckView("dns", "basic", true, null, null);
        var failing = new HealthCheckView("disk", "basic", false, null, null);
        var routers = RouterView.FailuresFirst([new RouterView("a", [passing], 1), new RouterView("b", [failing], 1), new RouterView("c", [failing, failing], 1), new RouterView("d", [], 0)]);
        Assert.Equal(["c", "b", "a", "d"], routers.Select(r => r.Id));
    }
}
