using System.Text;
using Agents.Audit;
using Agents.Storage.Audit;
using Agents.Contracts.Events;

namespace Agents.Consumers.Tests;

/// <summary>How a delivery becomes an audit record (the store itself: Storage/Agents.Storage.Tests/AuditStoreTests).</summary>
public sealed class AuditRecordTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 24, 10, 0, 0, TimeSpan.Zero);

    [Fact]
    public void a_golden_alert_event_becomes_a_warn_record_of_its_certificate()
    {
        var golden = Path.Combine(Agents.Testing.RepositoryPaths.Root, "Contracts", "Agents.Contracts.Tests", "golden", "event.AlertEvent.certificate-expiring.json");
        using var doc = System.Text.Json.JsonDocument.Parse(File.ReadAllText(golden));
        var body = Encoding.UTF8.GetBytes(doc.RootElement.GetProperty("body").GetRawText());
        var record = AuditRecordFactory.FromDelivery(doc.RootElement.GetProperty("routingKey").GetString()!, body, null, DateTimeOffset.UtcNow);
        Assert.Equal("0c1d2e3f-4a5b-4c6d-8e7f-8091a2b3c4d5", record.EventId);
        Assert.Equal(EventCategory.AlertEvent, record.Category);
        Assert.Equal(EventTypes.AlertCertificateExpiring, record.Type);
        Assert.Equal(AuditLevel.Warn, record.Level);
        Assert.Equal((ResourceTypes.Certificate, "5F3A9C0E"), (record.ResourceType, record.ResourceId));
        Assert.Equal(T0, record.OccurredAt);
        Assert.Equal("Certificate 5F3A9C0E of vm 6b7c8d9e expires in 5 days", record.Description);
    }

    [Fact]
    public void a_body_that_is_not_a_json_object_is_refused_clearly()
    {
        var e = Assert.Throws<InvalidEventException>(() => AuditRecordFactory.FromDelivery("a.ActionEvent.X.*.*", "[1,2]"u8, null, DateTimeOffset.UtcNow));
        Assert.Contains("not a JSON object", e.Message, StringComparison.Ordinal);
    }
}
