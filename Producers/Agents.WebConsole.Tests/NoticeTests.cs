using System.Text;
using Agents.Contracts.Events;
using Agents.WebConsole.Live;
using Agents.WebConsole.Tests.Support;

namespace Agents.WebConsole.Tests;

public sealed class NoticeTests
{
    private static readonly DateTimeOffset At = new(2026, 12, 4, 5, 0, 0, TimeSpan.Zero);
    private static readonly Guid JobId = Guid.Parse("0c1d2e3f-0000-4000-8000-000000000001");

    private static AsyncJobChanged JobEvent(AsyncJobStatus status, System.Text.Json.JsonElement? result = null) => new()
    {
        MessageId = Guid.NewGuid(), JobEvent = status == AsyncJobStatus.Pending ? AsyncJobChanged.Update : AsyncJobChanged.Complete, JobId = JobId,
        Command = "runAgentRecipe", Status = status, Account = "acme", User = "acme", InstanceType = ResourceTypes.VirtualMachine, InstanceUuid = "vm-1",
        JobResult = result, Stage = status == AsyncJobStatus.Pending ? "InProgress" : null, ChangedAt = At,
    };

    /// <summary>As a subscriber receives it: the event's routing key and body, read back by the contract's one reader.</summary>
    private static LiveNotice? Delivered(CloudStackEvent e) => NoticeTranslator.Translate(CloudStackEvent.Read(e.RoutingKey, e.ToUtf8()));

    [Fact]
    public void a_job_that_fails_is_a_toast_for_its_account_with_the_apis_errortext()
    {
        var notice = Delivered(JobEvent(AsyncJobStatus.Failed,
            System.Text.Json.JsonDocument.Parse("""{"errorcode":530,"errortext":"3 of 20 targets failed"}""").RootElement).ToEvent());
        Assert.NotNull(notice);
        Assert.Equal(("job", "job:" + JobId, "error", "Job runAgentRecipe failed", "3 of 20 targets failed", true),
            (notice.Kind, notice.Topic, notice.Level, notice.Title, notice.Text, notice.Toast));
        Assert.Equal(("acme", "vm-1", "/console/job/" + JobId), (notice.Account, notice.VmId, notice.Link));
    }

    [Fact]
    public void a_job_that_succeeds_is_a_toast_without_its_result()
    {
        var notice = Delivered(JobEvent(AsyncJobStatus.Succeeded, System.Text.Json.JsonDocument.Parse("""{"success":true}""").RootElement).ToEvent());
        Assert.Equal(("success", "Job runAgentRecipe succeeded", "", true), (notice!.Level, notice.Title, notice.Text, notice.Toast));
    }

    [Fact]
    public void a_running_job_only_refreshes_pages()
    {
        var notice = Delivered(JobEvent(AsyncJobStatus.Pending).ToEvent());
        Assert.NotNull(notice);
        Assert.False(notice.Toast);
        Assert.Equal("job:" + JobId, notice.Topic);
    }

    [Fact]
    public void an_agent_going_down_is_a_toast_about_its_vm()
    {
        var notice = Delivered(new AgentStateChanged
        {
            MessageId = Guid.NewGuid(), VmId = "vm-1", RouterId = "r-1", OldState = AgentStates.Up, NewState = AgentStates.Down,
            Reason = "certificate revoked", ChangedAt = At,
        }.ToEvent());
        Assert.NotNull(notice);
        Assert.Equal(("agent", "vm:vm-1", "vm-1", true), (notice.Kind, notice.Topic, notice.VmId, notice.Toast));
        Assert.Equal("Agent of VM vm-1 is down", notice.Title);
        Assert.Equal("Down: certificate revoked", notice.Text);
        Assert.Null(notice.Account);
    }

    [Fact]
    public void a_health_check_result_refreshes_the_routers_pages_without_a_toast()
    {
        var notice = Delivered(new RouterHealthChecked
        {
            MessageId = Guid.NewGuid(), RouterId = "r-1", PassedBefore = true,
            Result = new Agents.Contracts.Commands.HealthCheckResult("dns", Agents.Contracts.Commands.HealthCheckType.Advanced, false, "no answer", At),
        }.ToEvent());
        Assert.Equal(("router-health", "router:r-1", "warning", false), (notice!.Kind, notice.Topic, notice.Level, notice.Toast));
    }

    private static AlertRaised RouterAlert(AlertState state, AlertSeverity? severity, string subject) => new()
    {
        MessageId = Guid.NewGuid(), AlertType = EventTypes.AlertRouterHealth, Severity = severity, State = state, GroupKey = "router-health/r-1/dns",
        ResourceType = ResourceTypes.DomainRouter, ResourceUuid = "r-1", Subject = subject, Body = "Look at the router", RaisedAt = At,
    };

    [Fact]
    public void a_failing_router_health_check_alert_is_a_toast_for_admins_and_its_recovery_too()
    {
        var failing = Delivered(RouterAlert(AlertState.Firing, AlertSeverity.Critical, "Router r-1: health check dns failed").ToEvent());
        Assert.NotNull(failing);
        Assert.Equal(("router-health", "router:r-1", "error", true), (failing.Kind, failing.Topic, failing.Level, failing.Toast));
        Assert.Null(failing.VmId);
        Assert.Null(failing.Account);
        var recovered = Delivered(RouterAlert(AlertState.Resolved, AlertSeverity.Info, "Router r-1: health check dns passes again").ToEvent());
        Assert.Equal("success", recovered!.Level);
        Assert.StartsWith("Resolved: ", recovered.Title, StringComparison.Ordinal);
    }

    [Fact]
    public void a_certificate_near_expiry_of_a_vm_reaches_the_vms_owner()
    {
        var notice = Delivered(new AlertRaised
        {
            MessageId = Guid.NewGuid(), AlertType = EventTypes.AlertCertificateExpiring, Severity = AlertSeverity.Warning, GroupKey = "expiry/vm-9",
            ResourceType = ResourceTypes.VirtualMachine, ResourceUuid = "vm-9", Subject = "Certificate of vm-9 expires in 3 days", Body = "", RaisedAt = At,
        }.ToEvent());
        Assert.Equal(("certificate", "vm-9", "warning"), (notice!.Kind, notice.VmId, notice.Level));
    }

    [Fact]
    public void the_console_binds_the_cas_certificate_events_by_their_whole_type_words()
    {
        var revoked = new CertificateChanged
        {
            MessageId = Guid.NewGuid(), EventType = EventTypes.CertificateRevoked, SerialNumber = "0A", Subject = "CN=vm-1", At = At,
        }.ToEvent();
        Assert.Contains(EventRoutingKey.Build(null, EventCategory.ActionEvent, EventTypes.CertificateRevoked, null, null), LiveEventHandler.Bindings);
        Assert.StartsWith($"{CloudStackEvent.ManagementServer}.{EventCategory.ActionEvent}.CA-CERTIFICATE-REVOKE.", revoked.RoutingKey, StringComparison.Ordinal);
        Assert.Equal(("certificate", "certificates", false), (Delivered(revoked)!.Kind, Delivered(revoked)!.Topic, Delivered(revoked)!.Toast));
    }

    [Theory]
    [InlineData("management-server.AsyncJobEvent.complete.VirtualMachine.vm-1", """{"command":"runAgentRecipe","status":"1"}""")]
    [InlineData("management-server.AlertEvent.ALERT-ROUTER-HEALTH.DomainRouter.r-1", """{"body":"no subject"}""")]
    public void an_event_without_what_its_kind_must_carry_is_refused_by_the_contracts_reader(string routingKey, string body) =>
        Assert.Throws<InvalidEventException>(() => NoticeTranslator.Translate(CloudStackEvent.Read(routingKey, Encoding.UTF8.GetBytes(body))));

    [Fact]
    public void events_the_console_does_not_show_are_no_notice() =>
        Assert.Null(NoticeTranslator.Translate(CloudStackEvent.Read("management-server.ActionEvent.VM-RESETPASSWORD.VirtualMachine.vm-1",
            Encoding.UTF8.GetBytes("""{"status":"Completed","event":"VM.RESETPASSWORD","entityuuid":"vm-1","description":"reset"}"""))));

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
