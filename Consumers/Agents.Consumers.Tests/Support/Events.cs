using Agents.Contracts.Events;
using Agents.Messaging;
using Agents.Messaging.Publishing;
using Agents.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Agents.Consumers.Tests.Support;

/// <summary>Publishes events the way every service does (messaging kit, confirms) as one of broker-config's users.</summary>
public sealed class Events : IAsyncDisposable
{
    private readonly BrokerConnection _connection;
    private readonly ConfirmingPublisher _publisher;

    public Events(BrokerFixture broker, string user = "ca")
    {
        _connection = new BrokerConnection(Options.Create(new RabbitMqOptions { Uri = broker.AmqpUri(user), ConnectionName = "test-" + user }),
            NullLogger<BrokerConnection>.Instance);
        _publisher = new ConfirmingPublisher(_connection, NullLogger<ConfirmingPublisher>.Instance);
    }

    public Task PublishAsync(CloudStackEvent e) => _publisher.PublishEventAsync(e);

    public async Task PublishAllAsync(IEnumerable<CloudStackEvent> events)
    {
        foreach (var batch in events.Chunk(16)) await Task.WhenAll(batch.Select(PublishAsync));
    }

    public async ValueTask DisposeAsync()
    {
        await _publisher.DisposeAsync();
        await _connection.DisposeAsync();
    }

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
