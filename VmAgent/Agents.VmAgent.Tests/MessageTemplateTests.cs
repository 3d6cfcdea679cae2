using Agents.VmAgent.Core.Logging;

namespace Agents.VmAgent.Tests;

public sealed class MessageTemplateTests
{
    [Fact]
    public void each_hole_takes_the_next_value_in_order()
    {
        Assert.Equal("command c-1 (job j-2) answered Succeeded",
            MessageTemplate.Render("command {CommandId} (job {JobId}) answered {Outcome}", ["c-1", "j-2", "Succeeded"]));
    }

    [Fact]
    public void a_format_applies_invariantly()
    {
        var at = new DateTimeOffset(2026, 12, 4, 15, 0, 0, TimeSpan.Zero);
        Assert.Equal("valid until 2026-12-04T15:00:00.0000000+00:00, in 1234 ms",
            MessageTemplate.Render("valid until {NotAfter:O}, in {DelayMs:0} ms", [at, 1234.4]));
    }

    [Fact]
    public void doubled_braces_are_literal_and_a_hole_without_a_value_stays_as_written()
    {
        Assert.Equal("{literal} x {Missing}", MessageTemplate.Render("{{literal}} {X} {Missing}", ["x"]));
    }

    [Fact]
    public void a_null_value_is_written_null()
    {
        Assert.Equal("reason null", MessageTemplate.Render("reason {Reason}", [null]));
    }

    [Fact]
    public void a_logged_error_follows_the_rendered_template()
    {
        var log = new Agents.Testing.TestLog("t");
        log.Warn(new InvalidOperationException("boom"), "connection to router {Router} failed", "10.0.0.1:8443");
        Assert.Contains("connection to router 10.0.0.1:8443 failed (InvalidOperationException: boom)", log.All, StringComparison.Ordinal);
    }
}
