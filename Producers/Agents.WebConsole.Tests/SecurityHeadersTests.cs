using System.ComponentModel.DataAnnotations;
using Agents.WebConsole.Hosting;

namespace Agents.WebConsole.Tests;

public sealed class SecurityHeadersTests
{
    [Fact]
    public void the_policy_runs_no_inline_script_and_lets_only_configured_origins_frame_the_console()
    {
        var policy = SecurityHeaders.Policy(["https://cloudstack.example.com"]);
        Assert.Contains("script-src 'self';", policy, StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe-inline", policy, StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe-eval", policy, StringComparison.Ordinal);
        Assert.EndsWith("frame-ancestors 'self' https://cloudstack.example.com", policy, StringComparison.Ordinal);
    }

    [Fact]
    public void without_configured_origins_only_the_console_itself_may_frame_it() =>
        Assert.EndsWith("frame-ancestors 'self'", SecurityHeaders.Policy([]), StringComparison.Ordinal);

    [Theory]
    [InlineData("https://cloudstack.example.com", true)]
    [InlineData("http://10.0.0.5:8080", true)]
    [InlineData("https://cloudstack.example.com/client/", false)]
    [InlineData("*", false)]
    [InlineData("https://a.example; script-src *", false)]
    public void frame_ancestors_must_be_plain_origins(string origin, bool valid)
    {
        var options = new ConsoleOptions { FrameAncestors = [origin] };
        var results = new List<ValidationResult>();
        Validator.TryValidateObject(options, new ValidationContext(options), results, validateAllProperties: true);
        Assert.Equal(valid, results.Count == 0);
    }
}
