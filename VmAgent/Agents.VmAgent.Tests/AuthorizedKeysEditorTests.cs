using Agents.VmAgent.Core.Os;

namespace Agents.VmAgent.Tests;

public sealed class AuthorizedKeysEditorTests
{
    private const string Own = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOwn user@laptop";
    private const string First = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIFirst cloud-key-1";
    private const string Second = "ecdsa-sha2-nistp256 AAAAE2VjZHNhLXNoYTItbmlzdHAyNTY= cloud-key-2";

    [Fact]
    public void a_reset_replaces_the_managed_keys_and_keeps_the_users_own()
    {
        var once = AuthorizedKeysEditor.Merge(Own + "\n", [First]);
        var twice = AuthorizedKeysEditor.Merge(once, [Second]);

        Assert.Contains(Own, twice, StringComparison.Ordinal);
        Assert.Contains(Second, twice, StringComparison.Ordinal);
        Assert.DoesNotContain(First, twice, StringComparison.Ordinal);
        Assert.Contains(AuthorizedKeysEditor.BeginMarker, twice, StringComparison.Ordinal);
        Assert.Single(twice.Split('\n'), l => l == AuthorizedKeysEditor.BeginMarker);
    }

    [Theory]
    [InlineData("ssh-ed25519 AAAA\ncommand=\"rm -rf /\" ssh-ed25519 AAAA")]
    [InlineData("not a key")]
    [InlineData("")]
    public void a_line_that_is_not_one_public_key_is_refused(string key)
    {
        Assert.Throws<ArgumentException>(() => AuthorizedKeysEditor.Merge(null, [key]));
    }
}
