using Agents.WebConsole.Hosting;

namespace Agents.WebConsole.Tests;

public sealed class ConsolePathsTests
{
    [Theory]
    [InlineData("/console/vm/abc?embed=1", "/console/vm/abc?embed=1")]
    [InlineData("/console", "/console")]
    [InlineData("https://evil.example/console/", "/console/")]
    [InlineData("//evil.example/console/", "/console/")]
    [InlineData("/console//evil.example", "/console/")]
    [InlineData("/console/login?returnUrl=/x", "/console/")]
    [InlineData("/client/api?command=logout", "/console/")]
    [InlineData("/console\\..\\x", "/console/")]
    [InlineData(null, "/console/")]
    public void sign_in_returns_only_to_a_console_page_of_this_site(string? asked, string expected) =>
        Assert.Equal(expected, ConsolePaths.SafeReturn(asked));

    [Fact]
    public void the_sign_in_link_escapes_where_to_return_and_keeps_the_embedded_mode() =>
        Assert.Equal("/console/login?returnUrl=%2Fconsole%2Fvm%2Fa%3Fembed%3D1&embed=1", ConsolePaths.SignIn("/console/vm/a?embed=1", embedded: true));

    [Fact]
    public void deep_links_escape_ids() => Assert.Equal("/console/vm/a%2Fb", ConsolePaths.Vm("a/b"));
}
