using Agents.Contracts;

namespace Agents.Testing;

/// <summary>
/// Waits for something another process or thread brings about. Polls soon at first and less often
/// as time goes (20 ms doubling up to 250 ms): a quick change is seen at once, and a condition that
/// asks the broker or the API is not asked hundreds of times a second.
/// </summary>
public static class Eventually
{
    private static readonly Backoff Polls = new(TimeSpan.FromMilliseconds(20), TimeSpan.FromMilliseconds(250));

    /// <summary>Until <paramref name="condition"/> holds; a <see cref="TimeoutException"/> naming <paramref name="what"/> after <paramref name="seconds"/>.</summary>
    public static Task TrueAsync(Func<bool> condition, string what, double seconds = 60) =>
        TrueAsync(() => Task.FromResult(condition()), what, seconds);

    /// <inheritdoc cref="TrueAsync(Func{bool}, string, double)"/>
    public static async Task TrueAsync(Func<Task<bool>> condition, string what, double seconds = 60)
    {
        if (!await WithinAsync(condition, seconds)) throw new TimeoutException($"timed out after {seconds:0.#} s waiting for: {what}");
    }

    /// <summary>Whether <paramref name="condition"/> held within <paramref name="seconds"/>, for a test that reports what it saw before it asserts.</summary>
    public static async Task<bool> WithinAsync(Func<Task<bool>> condition, double seconds)
    {
        ArgumentNullException.ThrowIfNull(condition);
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        for (var poll = 0; !await condition(); poll++)
        {
            if (DateTime.UtcNow > deadline) return false;
            await Task.Delay(Polls.Delay(poll));
        }
        return true;
    }
}
