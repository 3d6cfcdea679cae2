using System.Diagnostics;
using Agents.VmAgent.Core.Crypto;

namespace Agents.VmAgent.Tests;

public sealed class Sha512CryptTests
{
    private static string OpensslPasswd(string password, string salt)
    {
        var psi = new ProcessStartInfo("openssl") { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true, UseShellExecute = false };
        foreach (var a in new[] { "passwd", "-6", "-salt", salt, "-stdin" }) psi.ArgumentList.Add(a);
        Process process;
        try { process = Process.Start(psi)!; }
        catch (System.ComponentModel.Win32Exception e) { Assert.Fail($"openssl is needed for this test and could not be started: {e.Message}"); throw; }
        using (process)
        {
            process.StandardInput.Write(password + "\n");
            process.StandardInput.Close();
            var output = process.StandardOutput.ReadToEnd().Trim();
            process.WaitForExit();
            Assert.True(process.ExitCode == 0, $"openssl passwd failed: {process.StandardError.ReadToEnd()}");
            return output;
        }
    }

    [Theory]
    [InlineData("hunter2", "saltsalt")]
    [InlineData("correct horse battery staple", "abcdefghijklmnop")]
    [InlineData("ünïcødé-and-$pecial'\"`;|&", "x")]
    [InlineData("a-password-that-is-longer-than-sixty-four-bytes-so-the-B-repeat-loop-runs-more-than-once!", "Zz09./")]
    public void matches_openssl_passwd_6(string password, string salt)
    {
        Assert.Equal(OpensslPasswd(password, salt), Sha512Crypt.Hash(password, salt));
    }

    [Fact]
    public void matches_the_specifications_rounds_vector()
    {
        // from Drepper's SHA-crypt specification test vectors
        Assert.Equal(
            "$6$rounds=10000$saltstringsaltst$OW1/O6BYHV6BcXZu8QVeXbDWra3Oeqh0sbHbbMCVNSnCM/UrjmM0Dp8vOuZeHBy/YTBmSK6H9qs/y3RnOaw5v.",
            Sha512Crypt.Hash("Hello world!", "saltstringsaltstring", 10000));
    }

    [Fact]
    public void a_fresh_hash_verifies_and_a_wrong_password_does_not()
    {
        var hash = Sha512Crypt.Hash("s3cret");
        Assert.StartsWith("$6$", hash, StringComparison.Ordinal);
        Assert.True(Sha512Crypt.Verify("s3cret", hash));
        Assert.False(Sha512Crypt.Verify("s3cret!", hash));
        Assert.NotEqual(hash, Sha512Crypt.Hash("s3cret"));
    }
}
