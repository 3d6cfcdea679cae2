using System.Text;
using Agents.WebConsole.Live;
using Agents.WebConsole.Tests.Support;

namespace Agents.WebConsole.Tests;

public sealed class NoticeTests
{
    private static LiveNotice? Translate(string routingKey, string body) =>
        CloudStackDelivery.Read(routingKey, Encoding.UTF8.GetBytes(body)) is { } e ? NoticeTranslator.Translate(e) : null;

    [Fact]
    public void a_job_that_ends_is_a_toast_for_its_account()
    {
        var notice = Translate("agents-framework.AsyncJobEvent.ASYNC-JOB.AsyncJob.j1",
            """{"jobId":"j1","command":"runAgentRecipe","status":"2","account":"acme","jobResult":"3 of 20 failed"}""");
        Assert.NotNull(notice);
        Assert.Equal(("job", "job:j1", "error", "Job runAgentRecipe failed", "3 of 20 failed", true),
            (notice.Kind, notice.Topic, notice.Level, notice.Title, notice.Text, notice.Toast));
        Assert.Equal("acme", notice.Account);
    }

    [Fact]
    public void a_running_job_only_refreshes_pages()
    {
        var notice = Translate("agents-framework.AsyncJobEvent.ASYNC-JOB.AsyncJob.j1", """{"jobId":"j1","command":"runAgentRecipe","status":0,"account":"acme"}""");
        Assert.NotNull(notice);
        Assert.False(notice.Toast);
        Assert.Equal("job:j1", notice.Topic);
    }

    [Fact]
    public void an_agent_going_down_is_a_toast_about_its_vm()
    {
        var notice = Translate("agents-framework.ResourceStateEvent.AGENT-STATE.VirtualMachine.vm-1",
            """{"resource":"VirtualMachine","id":"vm-1","old-state":"Up","new-state":"Down","reason":"certificate revoked"}""");
        Assert.NotNull(notice);
        Assert.Equal(("agent", "vm:vm-1", "vm-1", true), (notice.Kind, notice.Topic, notice.VmId, notice.Toast));
        Assert.Equal("Agent of VM vm-1 is down", notice.Title);
        Assert.Equal("Down: certificate revoked", notice.Text);
        Assert.Null(notice.Account);
    }

    [Fact]
    public void a_failing_router_health_check_alert_is_a_toast_for_admins_and_its_recovery_too()
    {
        var failing = Translate("agents-framework.AlertEvent.ALERT-ROUTER-HEALTH.DomainRouter.r-1",
            """{"event":"ALERT.ROUTER.HEALTH","subject":"Router r-1: health check dns failed","severity":"Critical","state":"Firing","resourceType":"DomainRouter","resourceUuid":"r-1"}""");
        Assert.NotNull(failing);
        Assert.Equal(("router-health", "router:r-1", "error", true), (failing.Kind, failing.Topic, failing.Level, failing.Toast));
        Assert.Null(failing.VmId);
        Assert.Null(failing.Account);
        var recovered = Translate("agents-framework.AlertEvent.ALERT-ROUTER-HEALTH.DomainRouter.r-1",
            """{"event":"ALERT.ROUTER.HEALTH","subject":"Router r-1: health check dns passes again","state":"Resolved","resourceType":"DomainRouter","resourceUuid":"r-1"}""");
        Assert.Equal("success", recovered!.Level);
        Assert.StartsWith("Resolved: ", recovered.Title, StringComparison.Ordinal);
    }

    [Fact]
    public void a_certificate_near_expiry_of_a_vm_reaches_the_vms_owner()
    {
        var notice = Translate("agents-framework.AlertEvent.ALERT-CA-CERTIFICATE-EXPIRING.VirtualMachine.vm-9",
            """{"event":"ALERT.CA.CERTIFICATE.EXPIRING","subject":"Certificate of vm-9 expires in 3 days","severity":"Warning","state":"Firing","resourceType":"VirtualMachine","resourceUuid":"vm-9"}""");
        Assert.Equal(("certificate", "vm-9", "warning"), (notice!.Kind, notice.VmId, notice.Level));
    }

    [Theory]
    [InlineData("a.b.c", "{}")]
    [InlineData("s.AsyncJobEvent.ASYNC-JOB.AsyncJob.j", "not json")]
    [InlineData("s.AsyncJobEvent.ASYNC-JOB.AsyncJob.j", "[1,2]")]
    [InlineData("s.UsageEvent.X.Y.z", "{}")]
    public void what_the_console_cannot_read_or_does_not_show_is_no_notice(string routingKey, string body) =>
        Assert.Null(Translate(routingKey, body));

    [Fact]
    public async Task an_admin_receives_every_notice_and_a_user_only_its_own()
    {
        var api = new ScriptedApi().Answer("listVirtualMachines", (user, p) =>
            System.Text.Json.Nodes.JsonNode.Parse(user!.Account == "acme" && p["id"] == "vm-acme" ? """{"count":1,"virtualmachine":[{"id":"vm-acme"}]}""" : "{}")!.AsObject());
        var acme = new NoticeAudience(api, ScriptedApi.User("acme"));
        var admin = new NoticeAudience(api, ScriptedApi.Admin);
        var ownJob = new LiveNotice("job", "job:1", "success", "t", "", true) { Account = "acme" };
        var otherJob = new LiveNotice("job", "job:2", "success", "t", "", true) { Account = "globex" };
        var ownVm = new LiveNotice("agent", "vm:vm-acme", "warning", "t", "", true) { VmId = "vm-acme" };
        var otherVm = new LiveNotice("agent", "vm:vm-globex", "warning", "t", "", true) { VmId = "vm-globex" };
        var router = new LiveNotice("router-health", "router:r", "error", "t", "", true);

        Assert.True(await acme.AllowsAsync(ownJob, default));
        Assert.False(await acme.AllowsAsync(otherJob, default));
        Assert.True(await acme.AllowsAsync(ownVm, default));
        Assert.False(await acme.AllowsAsync(otherVm, default));
        Assert.False(await acme.AllowsAsync(router, default));
        foreach (var notice in new[] { ownJob, otherJob, ownVm, otherVm, router }) Assert.True(await admin.AllowsAsync(notice, default));

        // the VM check is the API's own listing, asked once per VM
        Assert.True(await acme.AllowsAsync(ownVm, default));
        Assert.Equal(2, api.Calls.Count(c => c.Command == "listVirtualMachines"));
    }

    [Fact]
    public void a_browser_that_falls_behind_loses_its_oldest_notices_and_leaving_ends_its_stream()
    {
        var feed = new LiveFeed(Microsoft.Extensions.Options.Options.Create(new ConsoleOptions { LiveClientBuffer = 10 }));
        var subscription = feed.Subscribe();
        for (var i = 0; i < 25; i++) feed.Publish(new LiveNotice("job", "job:" + i, "info", "", "", false));
        Assert.True(subscription.Reader.TryRead(out var first));
        Assert.Equal("job:15", first.Topic);
        Assert.Equal(1, feed.Subscribers);
        subscription.Dispose();
        Assert.Equal(0, feed.Subscribers);
    }
}
