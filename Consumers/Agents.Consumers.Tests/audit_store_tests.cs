using System.Text;
using Agents.Audit;
using Agents.Contracts.Events;
using Microsoft.Data.Sqlite;

namespace Agents.Consumers.Tests;

/// <summary>The SQLite audit store on its own: the part the API's listEvents relies on.</summary>
public sealed class audit_store_tests : IDisposable
{
    private readonly string _path = Path.Combine(Path.GetTempPath(), $"agents-audit-{Guid.NewGuid():N}.db");
    private static readonly DateTimeOffset T0 = new(2026, 11, 24, 10, 0, 0, TimeSpan.Zero);

    private static AuditRecord Record(string id, string type, DateTimeOffset at, string level = AuditLevel.Info, string? resource = "vm-1") => new()
    {
        EventId = id, RoutingKey = $"management-server.ActionEvent.{type.Replace('.', '-')}.VirtualMachine.{resource}", Source = "management-server",
        Category = EventCategory.ActionEvent, Type = type, Level = level, ResourceType = "VirtualMachine", ResourceId = resource,
        Description = $"{type} on {resource}", OccurredAt = at, ReceivedAt = at, Body = "{\"event\":\"" + type + "\"}",
    };

    [Fact]
    public async Task appending_the_same_event_id_twice_keeps_one_record()
    {
        var store = new SqliteAuditStore(_path);
        Assert.True(await store.AppendAsync(Record("e1", "VM.RESETPASSWORD", T0)));
        Assert.False(await store.AppendAsync(Record("e1", "VM.RESETPASSWORD", T0) with { Description = "changed" }));
        var page = await store.QueryAsync(new AuditQuery());
        Assert.Equal(1, page.TotalCount);
        Assert.Equal("VM.RESETPASSWORD on vm-1", page.Items[0].Description);
    }

    [Fact]
    public async Task queries_filter_by_type_level_date_range_and_resource_and_page_newest_first()
    {
        var store = new SqliteAuditStore(_path);
        for (var i = 0; i < 30; i++)
            await store.AppendAsync(Record($"e{i}", i % 3 == 0 ? "VM.RESETSSHKEY" : "VM.RESETPASSWORD", T0.AddMinutes(i),
                i % 5 == 0 ? AuditLevel.Error : AuditLevel.Info, i < 10 ? "vm-a" : "vm-b"));

        Assert.Equal(10, (await store.QueryAsync(new AuditQuery { Type = "vm.resetsshkey" })).TotalCount);
        Assert.Equal(6, (await store.QueryAsync(new AuditQuery { Level = "ERROR" })).TotalCount);
        Assert.Equal(10, (await store.QueryAsync(new AuditQuery { ResourceId = "vm-a", ResourceType = "VirtualMachine" })).TotalCount);
        var range = await store.QueryAsync(new AuditQuery { StartDate = T0.AddMinutes(5), EndDate = T0.AddMinutes(9) });
        Assert.Equal(["e9", "e8", "e7", "e6", "e5"], range.Items.Select(r => r.EventId));

        var page2 = await store.QueryAsync(new AuditQuery { Page = 2, PageSize = 7 });
        Assert.Equal(30, page2.TotalCount);
        Assert.Equal(["e22", "e21", "e20", "e19", "e18", "e17", "e16"], page2.Items.Select(r => r.EventId));
        Assert.Equal(3, (await store.QueryAsync(new AuditQuery { Keyword = "SSHKEY", ResourceId = "vm-a", Level = "info" })).TotalCount);
    }

    [Theory]
    [InlineData(0, 10, null, "page")]
    [InlineData(1, 0, null, "pagesize")]
    [InlineData(1, 10, "DEBUG", "level")]
    public async Task a_bad_filter_is_refused_with_a_message_naming_it(int page, int pageSize, string? level, string named)
    {
        var store = new SqliteAuditStore(_path);
        var e = await Assert.ThrowsAsync<ArgumentException>(() => store.QueryAsync(new AuditQuery { Page = page, PageSize = pageSize, Level = level }));
        Assert.StartsWith(named, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task the_export_writes_one_json_object_a_line_oldest_first_with_the_original_body()
    {
        var store = new SqliteAuditStore(_path);
        await store.AppendAsync(Record("b", "VM.RESETSSHKEY", T0.AddMinutes(1)));
        await store.AppendAsync(Record("a", "VM.RESETPASSWORD", T0));
        var writer = new StringWriter();
        Assert.Equal(2, await store.ExportJsonLinesAsync(new AuditQuery(), writer));
        var lines = writer.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, lines.Length);
        Assert.StartsWith("{\"id\":\"a\"", lines[0], StringComparison.Ordinal);
        Assert.Contains("\"body\":{\"event\":\"VM.RESETPASSWORD\"}", lines[0], StringComparison.Ordinal);
        Assert.Contains("\"occurredAt\":\"2026-11-24T10:00:00.0000000+00:00\"", lines[0], StringComparison.Ordinal);
    }

    [Fact]
    public async Task reopening_the_database_keeps_its_records_and_schema_version()
    {
        await new SqliteAuditStore(_path).AppendAsync(Record("e1", "VM.RESETPASSWORD", T0));
        var reopened = new SqliteAuditStore(_path);
        Assert.Equal(1, (await reopened.QueryAsync(new AuditQuery())).TotalCount);
        await using var db = new SqliteConnection($"Data Source={_path}");
        await db.OpenAsync();
        await using var version = db.CreateCommand();
        version.CommandText = "PRAGMA user_version";
        Assert.Equal(1L, await version.ExecuteScalarAsync());
    }

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

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        foreach (var suffix in new[] { "", "-wal", "-shm" })
            try { File.Delete(_path + suffix); }
            catch (IOException) { /* temp file */ }
    }
}
