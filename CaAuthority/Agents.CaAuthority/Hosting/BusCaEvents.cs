using Agents.CaAuthority.Providers;
using Agents.Contracts.Events;
using Agents.Messaging.Publishing;

namespace Agents.CaAuthority.Hosting;

/// <summary>The CA's events on <c>cloudstack-events</c>, confirmed by the broker before the request is answered.</summary>
public sealed class BusCaEvents(ConfirmingPublisher publisher) : ICaEvents
{
    public Task PublishAsync(CloudStackEvent e, CancellationToken ct) => publisher.PublishEventAsync(e, ct);
}
