namespace Agents.Messaging.Consuming;

/// <summary>
/// A handler that needs to know whether its queue is being consumed: one whose messages keep a
/// cache true (the API's holder certificates) trusts that cache only while nothing it should hear
/// can pass by unheard. The consumer calls it with true once registered on the broker (its queue
/// declared and bound) and with false when its channel or connection is lost.
/// </summary>
public interface IConsumingObserver
{
    void ConsumingChanged(bool consuming);
}
