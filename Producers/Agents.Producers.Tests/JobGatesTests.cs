using Agents.Producers.Jobs;

namespace Agents.Producers.Tests;

public sealed class JobGatesTests
{
    [Fact]
    public async Task one_job_runs_one_holder_at_a_time_while_another_job_goes_ahead_and_a_released_job_leaves_no_lock_behind()
    {
        var gates = new JobGates();
        var first = Guid.NewGuid();
        var second = Guid.NewGuid();

        var held = await gates.EnterAsync(first);
        var sameJob = gates.EnterAsync(first);
        var otherJob = gates.EnterAsync(second);

        // the other job is not held up by the first; the same job waits
        Assert.True(otherJob.IsCompletedSuccessfully);
        Assert.False(sameJob.IsCompleted);
        Assert.Equal(2, gates.Count);

        (await otherJob).Dispose();
        Assert.Equal(1, gates.Count);
        Assert.False(sameJob.IsCompleted);

        held.Dispose();
        var next = await sameJob.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(1, gates.Count);
        next.Dispose();
        Assert.Equal(0, gates.Count);
    }

    [Fact]
    public async Task many_concurrent_holders_of_one_job_never_overlap()
    {
        var gates = new JobGates();
        var job = Guid.NewGuid();
        var inside = 0;
        var most = 0;
        await Task.WhenAll(Enumerable.Range(0, 200).Select(async _ =>
        {
            using (await gates.EnterAsync(job))
            {
                var now = Interlocked.Increment(ref inside);
                most = Math.Max(most, now);
                await Task.Yield();
                Interlocked.Decrement(ref inside);
            }
        }));
        Assert.Equal(1, most);
        Assert.Equal(0, gates.Count);
    }
}
