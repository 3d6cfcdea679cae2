using System.Collections.Concurrent;
using System.Threading.Channels;
using Microsoft.Extensions.Options;

namespace Agents.WebConsole.Live;

/// <summary>
/// The notices of this API instance, handed to every open browser. Each browser has a bounded
/// buffer: one that falls behind loses its oldest notices, never slows the others or the broker.
/// Who may see a notice is decided per browser, on the way out (<see cref="NoticeAudience"/>).
/// </summary>
public sealed class LiveFeed(IOptions<ConsoleOptions> options)
{
    private readonly ConcurrentDictionary<Guid, Channel<LiveNotice>> _subscribers = new();

    public int Subscribers => _subscribers.Count;

    public void Publish(LiveNotice notice)
    {
        ArgumentNullException.ThrowIfNull(notice);
        foreach (var channel in _subscribers.Values) channel.Writer.TryWrite(notice);
    }

    public LiveSubscription Subscribe()
    {
        var id = Guid.NewGuid();
        var channel = Channel.CreateBounded<LiveNotice>(new BoundedChannelOptions(options.Value.LiveClientBuffer)
        {
            FullMode = BoundedChannelFullMode.DropOldest,
            SingleReader = true,
        });
        _subscribers[id] = channel;
        return new LiveSubscription(channel.Reader, () => _subscribers.TryRemove(id, out _));
    }
}
