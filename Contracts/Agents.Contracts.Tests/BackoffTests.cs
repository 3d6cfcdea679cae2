namespace Agents.Contracts.Tests;

public sealed class BackoffTests
{
    private static readonly TimeSpan Initial = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan Cap = TimeSpan.FromSeconds(15);

    [Fact]
    public void each_attempt_doubles_the_wait_until_the_cap()
    {
        var backoff = new Backoff(Initial, Cap);

        var waits = Enumerable.Range(0, 8).Select(attempt => backoff.Delay(attempt).TotalMilliseconds).ToArray();

        Assert.Equal([250, 500, 1000, 2000, 4000, 8000, 15000, 15000], waits);
    }

    [Fact]
    public void a_huge_or_negative_attempt_count_stays_within_the_cap_and_the_first_wait()
    {
        var backoff = new Backoff(Initial, Cap);

        Assert.Equal(Cap, backoff.Delay(int.MaxValue));
        Assert.Equal(Initial, backoff.Delay(-3));
    }

    [Fact]
    public void with_jitter_every_wait_lies_between_zero_and_the_ceiling()
    {
        var backoff = new Backoff(Initial, Cap, jitter: true);
        var random = new Random(21);

        for (var attempt = 0; attempt < 12; attempt++)
        {
            var ceiling = backoff.Ceiling(attempt);
            var waits = Enumerable.Range(0, 500).Select(_ => backoff.Delay(attempt, random)).ToList();
            Assert.All(waits, wait => Assert.InRange(wait, TimeSpan.Zero, ceiling));
            // spread out, not pinned to one end: the draws fill the lower and the upper half
            Assert.Contains(waits, wait => wait < ceiling / 2);
            Assert.Contains(waits, wait => wait > ceiling / 2);
        }
    }

    [Fact]
    public void jitter_follows_the_random_source_it_is_given()
    {
        var backoff = new Backoff(Initial, Cap, jitter: true);

        var first = Enumerable.Range(0, 6).Select(attempt => backoff.Delay(attempt, new Random(7))).ToList();
        var second = Enumerable.Range(0, 6).Select(attempt => backoff.Delay(attempt, new Random(7))).ToList();

        Assert.Equal(first, second);
    }

    [Fact]
    public void a_cap_below_the_first_wait_caps_every_wait()
    {
        var backoff = new Backoff(Initial, TimeSpan.FromMilliseconds(100));

        Assert.All(Enumerable.Range(0, 4), attempt => Assert.Equal(TimeSpan.FromMilliseconds(100), backoff.Delay(attempt)));
    }

    [Fact]
    public void a_first_wait_or_a_cap_of_zero_is_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new Backoff(TimeSpan.Zero, Cap));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Backoff(Initial, TimeSpan.Zero));
    }
}
