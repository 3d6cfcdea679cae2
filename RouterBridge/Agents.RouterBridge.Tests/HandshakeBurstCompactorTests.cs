using Agents.RouterBridge.Core.Agents;
using Microsoft.Extensions.Logging.Abstractions;

namespace Agents.RouterBridge.Tests;

/// <summary>When the listener gives back a burst of handshakes' memory (pure logic: one call of Due per quiet period).</summary>
public sealed class HandshakeBurstCompactorTests
{
    private static HandshakeBurstCompactor Compactor() => new(NullLogger.Instance);

    private static void Handshakes(HandshakeBurstCompactor compactor, int count)
    {
        for (var i = 0; i < count; i++) compactor.HandshakeDone();
    }

    [Fact]
    public void a_burst_is_collected_once_at_the_first_quiet_check_after_it()
    {
        var compactor = Compactor();
        Handshakes(compactor, 300);
        Assert.False(compactor.Due());
        Handshakes(compactor, 300);
        Assert.False(compactor.Due());

        Assert.True(compactor.Due());
        Assert.False(compactor.Due());
        Assert.False(compactor.Due());
    }

    [Fact]
    public void fewer_handshakes_than_a_burst_are_not_worth_a_collection_until_more_come()
    {
        var compactor = Compactor();
        Handshakes(compactor, HandshakeBurstCompactor.Burst - 1);
        Assert.False(compactor.Due());
        Assert.False(compactor.Due());

        Handshakes(compactor, 1);
        Assert.False(compactor.Due());
        Assert.True(compactor.Due());
    }

    [Fact]
    public void a_steady_trickle_costs_at_most_one_collection_per_burst_of_handshakes()
    {
        var compactor = Compactor();
        var collections = 0;
        // one reconnect every other check, for 4,000 checks: 2,000 handshakes
        for (var check = 0; check < 4000; check++)
        {
            if (check % 2 == 0) compactor.HandshakeDone();
            if (compactor.Due()) collections++;
        }
        Assert.Equal(2000 / HandshakeBurstCompactor.Burst, collections);
    }

    [Fact]
    public void a_handshake_every_check_never_looks_quiet()
    {
        var compactor = Compactor();
        for (var check = 0; check < 2000; check++)
        {
            compactor.HandshakeDone();
            Assert.False(compactor.Due());
        }
    }
}
