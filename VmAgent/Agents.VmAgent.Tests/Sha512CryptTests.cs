using Agents.Testing;
using Agents.VmAgent.Core.Crypto;

namespace Agents.VmAgent.Tests;

public sealed class Sha512CryptTests
{
    private static async Task<string> OpensslPasswdAsync(string password, string salt)
    {
        var openssl = await ProcessRunner.RunAsync("openssl", ["passwd", "-6", "-salt", salt, "-stdin"], stdin: password + "\n");
        Assert.True(openssl.ExitCode == 0, $"openssl passwd failed: {openssl.Stderr}");
        return openssl.Stdout.Trim();
    }

    [Theory]
    [InlineData("hunter2", "saltsalt")]
    [InlineData("correct horse battery staple", "abcdefghijklmnop")]
    [InlineData("ünïcødé-and-$pecial'\"`;|&", "x")]
    [InlineData("a-password-that-is-longer-than-sixty-four-bytes-so-the-B-repeat-loop-runs-more-than-once!", "Zz09./")]
    public async Task a_hash_is_the_one_openssl_passwd_6_makes(string password, string salt)
    {
        Assert.Equal(await OpensslPasswdAsync(password, salt), Sha512Crypt.Hash(password, salt));
    }

    [Fact]
    public void a_hash_with_rounds_matches_the_specifications_test_vector()
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

    [Fact]
    public void a_hash_allocates_no_array_per_round()
    {
        Sha512Crypt.Hash("warm-up", "saltsalt");
        var before = GC.GetAllocatedBytesForCurrentThread();
        Sha512Crypt.Hash("a-password-of-some-length", "saltsaltsaltsalt");
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        // a new 64-byte digest per round was over 400 KB a hash, enough for a GC every other password reset
        Assert.True(allocated < 16 * 1024, $"{allocated} bytes allocated by one hash of 5,000 rounds");
    }
}
