using Agents.Demo.Stack;

namespace Agents.IntegrationTests.EndToEnd;

/// <summary>
/// One test per use case of the two seed documents, each through the public API against the
/// services running as separate processes. Each use case checks what a user would see (the
/// sandbox files the agent wrote, the e-mail the SMTP server received) and throws when it differs;
/// the test also pins the part of the answer it reports.
/// </summary>
[Collection(StackCollection.Name)]
public sealed class SeedUseCaseTests(StackFixture fixture)
{
    [Fact]
    public async Task a_password_reset_through_the_api_is_what_the_agent_applied() =>
        Assert.Contains("shadow hash verifies", await fixture.UseCases.ResetPasswordAsync(), StringComparison.Ordinal);

    [Fact]
    public async Task an_ssh_key_reset_through_the_api_lands_in_authorized_keys() =>
        Assert.Contains("authorized_keys holds", await fixture.UseCases.ResetSshKeyAsync(), StringComparison.Ordinal);

    [Fact]
    public async Task a_recipe_the_policy_allows_runs_and_reports_its_output() =>
        Assert.Contains("ran, output", await fixture.UseCases.AllowedRecipeAsync(), StringComparison.Ordinal);

    [Fact]
    public async Task a_recipe_outside_the_policy_is_rejected_by_the_agent() =>
        Assert.Contains("(Rejected), and the refusal is in listEvents", await fixture.UseCases.ForbiddenRecipeAsync(), StringComparison.Ordinal);

    [Fact]
    public async Task a_recipe_fanned_out_with_rate_control_reaches_every_vm() =>
        Assert.Contains("all Success", await fixture.UseCases.FanOutAsync(), StringComparison.Ordinal);

    [Fact]
    public async Task the_router_is_patched_through_patch_system_vm() =>
        Assert.Contains("router patched", await fixture.UseCases.PatchRouterAsync(), StringComparison.Ordinal);

    [Fact]
    public async Task the_routers_health_checks_report_through_the_api() =>
        Assert.Matches(@"^\d+ checks ran", await fixture.UseCases.HealthChecksAsync());

    [Fact]
    public async Task certificates_close_to_expiry_raise_an_alert_email_or_are_renewed_automatically() =>
        Assert.Contains("renewed automatically", await fixture.UseCases.CertificateNearExpiryAsync(), StringComparison.Ordinal);

    [Fact]
    public async Task a_revoked_agent_and_an_impostor_are_refused_and_audited_and_the_agent_comes_back_only_by_enrolling_again()
    {
        var vm = fixture.Stack.Layout.Vms[2];
        try
        {
            Assert.Contains("both refusals are in listEvents", await fixture.UseCases.RevokeAsync(), StringComparison.Ordinal);
        }
        finally
        {
            await fixture.Stack.RestartAgentAsync(vm, reenroll: true);
        }
        Assert.Contains(vm.Id, await fixture.Stack.ConnectedAgentsAsync());
    }

    [Fact]
    public async Task a_vm_whose_agent_is_gone_gets_retries_then_a_failed_job_and_an_alert_email()
    {
        try
        {
            Assert.Contains("alert e-mail", await fixture.UseCases.UnreachableAgentAsync(), StringComparison.Ordinal);
        }
        finally
        {
            // the other use cases need this VM's agent back, whatever happened here
            await fixture.Stack.RestartAgentAsync(fixture.Stack.Layout.Vms[0], reenroll: false);
        }
    }
}
