using Agents.Contracts.Events;
using Agents.Messaging;
using Agents.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace Agents.Consumers.Tests.Support;

/// <summary>Publishes events the way every service does (messaging kit, confirms) as one of broker-config's users.</summary>
public sealed class Events : IAsyncDisposable
{
    private readonly ServiceProvider _bus;
    private readonly IEventPublisher _publisher;

    public Events(BrokerFixture broker, string user = "ca")
    {
        ArgumentNullException.ThrowIfNull(broker);
        _bus = new ServiceCollection().AddLogging()
            .AddRabbitMqMessaging(o => (o.Uri, o.ConnectionName) = (broker.AmqpUri(user), "test-" + user))
            .BuildServiceProvider();
        _publisher = _bus.GetRequiredService<IEventPublisher>();
    }

    public Task PublishAsync(CloudStackEvent e) => _publisher.PublishAsync(e);

    public async Task PublishAllAsync(IEnumerable<CloudStackEvent> events)
    {
        foreach (var batch in events.Chunk(16)) await Task.WhenAll(batch.Select(PublishAsync));
    }

    public ValueTask DisposeAsync() => _bus.DisposeAsync();

    public static AlertRaised CertificateExpiring(string serial, string holder, AlertState state = AlertState.Firing) => new()
    {
        MessageId = Guid.NewGuid(),
        AlertType = EventTypes.AlertCertificateExpiring,
        Severity = state == AlertState.Firing ? AlertSeverity.Warning : AlertSeverity.Info,
        State = state,
        GroupKey = $"certificate-expiring/{holder}",
        ResourceType = ResourceTypes.Certificate,
        ResourceUuid = serial,
        Subject = state == AlertState.Firing ? $"Certificate {serial} of {holder} expires 2026-11-29 10:00 UTC" : $"Certificate of {holder} renewed",
        Body = state == AlertState.Firing
            ? $"The certificate {serial} of {holder} expires in 5.0 days.\nAutomatic renewal is off: renew it with provisionCertificate."
            : $"{holder} renewed: certificate NEW{serial} is valid until 2027-02-27 and replaces {serial}.",
        RaisedAt = DateTimeOffset.UtcNow,
    };
}
