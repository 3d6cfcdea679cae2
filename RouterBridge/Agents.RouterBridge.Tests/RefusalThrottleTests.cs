using Agents.RouterBridge.Audit;

namespace Agents.RouterBridge.Tests;

/// <summary>The folding of repeated refused connections into one audit event per claimant and interval (pure logic).</summary>
public sealed class RefusalThrottleTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 24, 10, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Minute = TimeSpan.FromMinutes(1);

    [Fact]
    public void the_first_refusal_of_a_claimant_goes_out_at_once_and_repeats_within_the_interval_are_folded_into_one()
    {
        var throttle = new RefusalThrottle<string>(Minute);

        Assert.Equal(("a1", 1), throttle.Offer("vm-a", "a1", T0));
        Assert.Null(throttle.Offer("vm-a", "a2", T0.AddSeconds(10)));
        Assert.Null(throttle.Offer("vm-a", "a3", T0.AddSeconds(20)));
        Assert.Equal(("b1", 1), throttle.Offer("vm-b", "b1", T0.AddSeconds(20)));

        Assert.Empty(throttle.Flush(T0.AddSeconds(59)));
        Assert.Equal([("a3", 2)], throttle.Flush(T0.AddSeconds(60)));
        // b had no repeats: nothing to say, and after a quiet interval it is forgotten
        Assert.Empty(throttle.Flush(T0.AddSeconds(80)));
        Assert.Equal(1, throttle.Claimants);
    }

    [Fact]
    public void a_refusal_after_the_interval_carries_the_repeats_not_yet_flushed()
    {
        var throttle = new RefusalThrottle<string>(Minute);
        throttle.Offer("vm-a", "a1", T0);
        throttle.Offer("vm-a", "a2", T0.AddSeconds(5));

        Assert.Equal(("a3", 2), throttle.Offer("vm-a", "a3", T0.AddSeconds(61)));
        Assert.Empty(throttle.Flush(T0.AddSeconds(122)));
        Assert.Equal(0, throttle.Claimants);
    }

    [Fact]
    public void beyond_the_claimant_limit_newcomers_share_one_overflow_entry_and_none_is_lost()
    {
        var throttle = new RefusalThrottle<string>(Minute, maxClaimants: 2);
        throttle.Offer("a", "a", T0);
        throttle.Offer("b", "b", T0);

        Assert.Equal(("c", 1), throttle.Offer("c", "c", T0));
        Assert.Null(throttle.Offer("d", "d", T0));
        Assert.Null(throttle.Offer("e", "e", T0));

        Assert.Equal(3, throttle.Claimants);
        Assert.Equal([("e", 2)], throttle.Flush(T0 + Minute));
        // a, b and c were quiet for the interval: forgotten, so newcomers get their own entries again
        Assert.Equal(1, throttle.Claimants);
    }
}
