using Agents.Producers.Accounts;

namespace Agents.Producers.Sessions;

/// <summary>A signed-in user's session: its id travels in the JSESSIONID cookie, its key as the sessionkey cookie and parameter.</summary>
public sealed class ApiSession(string id, string key, Caller caller, DateTimeOffset created)
{
    private long _lastSeenTicks = created.UtcTicks;

    public string Id => id;
    public string Key => key;
    public Caller Caller => caller;
    public DateTimeOffset Created => created;
    public DateTimeOffset LastSeen => new(Interlocked.Read(ref _lastSeenTicks), TimeSpan.Zero);

    public void Touch(DateTimeOffset now) => Interlocked.Exchange(ref _lastSeenTicks, now.UtcTicks);
}
