using Agents.Contracts.Events;

namespace Agents.Messaging;

/// <summary>
/// Publishes a CloudStack event (an outcome, a job's progress, an alert, a state change) on
/// <c>cloudstack-events</c>. The task completes once the broker has confirmed the message;
/// it fails with <see cref="PublishFailedException"/> when the broker refuses it.
/// </summary>
public interface IEventPublisher
{
    /// <summary>
    /// One event. Events the process publishes at the same moment go to the broker together: those that
    /// arrive while a group waits for its confirms form the next group (one confirm round trip for all);
    /// an event alone goes at once. A token cancelled after the call began does not stop the event.
    /// </summary>
    Task PublishAsync(CloudStackEvent e, CancellationToken ct = default);

    /// <summary>
    /// Publishes several events together (a batch's outcomes): sent one after the other without waiting
    /// for each confirm, complete once the broker has confirmed them all.
    /// </summary>
    Task PublishAllAsync(IReadOnlyList<CloudStackEvent> events, CancellationToken ct = default);
}
