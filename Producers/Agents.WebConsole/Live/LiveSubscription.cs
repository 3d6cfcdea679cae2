using System.Threading.Channels;

namespace Agents.WebConsole.Live;

/// <summary>One browser's stream of notices; disposing it leaves the feed.</summary>
public sealed class LiveSubscription(ChannelReader<LiveNotice> reader, Action leave) : IDisposable
{
    public ChannelReader<LiveNotice> Reader => reader;

    public void Dispose() => leave();
}
