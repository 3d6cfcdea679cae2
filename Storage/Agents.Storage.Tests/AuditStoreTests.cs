using Agents.Storage.Audit;
using Agents.Testing;

namespace Agents.Storage.Tests;

/// <summary>The audit store, the part the API's listEvents relies on, on every engine.</summary>
public abstract class AuditStoreTests(StoreEngine engine)
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 24, 10, 0, 0, TimeSpan.Zero);

    // one database per suite: each test keeps to its own resource ids
    private readonly string _run = Guid.NewGuid().ToString("N")[..8];

    private async Task<AuditStore> OpenAsync() => await AuditStore.OpenAsync(await engine.DatabaseAsync(GetType().Name));

    private AuditRecord Record(string id, string type, DateTimeOffset at, string level = AuditLevel.Info, string resource = "vm-1") => new()
    {
        EventId = $"{_run}-{id}", RoutingKey = $"agents-framework.ActionEvent.{type.Replace('.', '-')}.VirtualMachine.{resource}", Source = "agents-framework",
        Category = "ActionEvent", Type = type, Level = level, ResourceType = "VirtualMachine", ResourceId = $"{_run}-{resource}",
        Description = $"{type} on {resource}", OccurredAt = at, ReceivedAt = at, Body = "{\"event\":\"" + type + "\"}",
    };

    [Fact]
    public async Task appending_the_same_event_id_twice_keeps_one_record()
    {
        var store = await OpenAsync();
        Assert.True(await store.AppendAsync(Record("e1", "VM.RESETPASSWORD", T0)));
        Assert.False(await store.AppendAsync(Record("e1", "VM.RESETPASSWORD", T0) with { Description = "changed" }));
        var page = await store.QueryAsync(new AuditQuery { EventId = $"{_run}-e1" });
        Assert.Equal(1, page.TotalCount);
        Assert.Equal("VM.RESETPASSWORD on vm-1", page.Items[0].Description);
    }

    [Fact]
    public async Task queries_filter_by_type_level_date_range_and_resource_and_page_newest_first()
    {
        var store = await OpenAsync();
        for (var i = 0; i < 30; i++)
            await store.AppendAsync(Record($"e{i}", i % 3 == 0 ? "VM.RESETSSHKEY" : "VM.RESETPASSWORD", T0.AddMinutes(i),
                i % 5 == 0 ? AuditLevel.Error : AuditLevel.Info, i < 10 ? "vm-a" : "vm-b"));
        var a = $"{_run}-vm-a";
        var b = $"{_run}-vm-b";

        Assert.Equal(4, (await store.QueryAsync(new AuditQuery { Type = "vm.resetsshkey", ResourceId = a })).TotalCount);
        Assert.Equal(2, (await store.QueryAsync(new AuditQuery { Level = "ERROR", ResourceId = a })).TotalCount);
        Assert.Equal(10, (await store.QueryAsync(new AuditQuery { ResourceId = a.ToUpperInvariant(), ResourceType = "virtualmachine" })).TotalCount);
        var range = await store.QueryAsync(new AuditQuery { StartDate = T0.AddMinutes(5), EndDate = T0.AddMinutes(9), ResourceId = a });
        Assert.Equal(["e9", "e8", "e7", "e6", "e5"], range.Items.Select(r => r.EventId[(_run.Length + 1)..]));

        var page2 = await store.QueryAsync(new AuditQuery { Page = 2, PageSize = 7, ResourceId = b });
        Assert.Equal(20, page2.TotalCount);
        Assert.Equal(["e22", "e21", "e20", "e19", "e18", "e17", "e16"], page2.Items.Select(r => r.EventId[(_run.Length + 1)..]));
        Assert.Equal(3, (await store.QueryAsync(new AuditQuery { Keyword = "SSHKEY", ResourceId = a, Level = "info" })).TotalCount);
    }

    [Theory]
    [InlineData(0, 10, null, "page")]
    [InlineData(1, 0, null, "pagesize")]
    [InlineData(1, 10, "DEBUG", "level")]
    public async Task a_bad_filter_is_refused_with_a_message_naming_it(int page, int pageSize, string? level, string named)
    {
        var store = await OpenAsync();
        var e = await Assert.ThrowsAsync<ArgumentException>(() => store.QueryAsync(new AuditQuery { Page = page, PageSize = pageSize, Level = level }));
        Assert.StartsWith(named, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task the_export_writes_one_json_object_a_line_oldest_first_with_the_original_body()
    {
        var store = await OpenAsync();
        await store.AppendAsync(Record("b", "VM.RESETSSHKEY", T0.AddMinutes(1), resource: "export"));
        await store.AppendAsync(Record("a", "VM.RESETPASSWORD", T0, resource: "export"));
        var writer = new StringWriter();
        Assert.Equal(2, await store.ExportJsonLinesAsync(new AuditQuery { ResourceId = $"{_run}-export" }, writer));
        var lines = writer.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, lines.Length);
        Assert.StartsWith($"{{\"id\":\"{_run}-a\"", lines[0], StringComparison.Ordinal);
        Assert.Contains("\"body\":{\"event\":\"VM.RESETPASSWORD\"}", lines[0], StringComparison.Ordinal);
        Assert.Contains("\"occurredAt\":\"2026-11-24T10:00:00.0000000+00:00\"", lines[0], StringComparison.Ordinal);
    }

    [Fact]
    public async Task a_second_process_opening_the_same_database_sees_the_records_and_migrates_nothing_twice()
    {
        await (await OpenAsync()).AppendAsync(Record("kept", "VM.RESETPASSWORD", T0));
        // two openers at once, as the API and the consumers starting together
        var reopened = await Task.WhenAll(OpenAsync(), OpenAsync());
        Assert.Equal(1, (await reopened[1].QueryAsync(new AuditQuery { EventId = $"{_run}-kept" })).TotalCount);
        var versions = await reopened[0].Database.QueryAsync($"SELECT version FROM {AuditStore.Schema.VersionTable}", r => r.Long(0));
        Assert.Equal([1L], versions);
    }
}

public sealed class AuditStoreOnSqlite(SqliteEngine engine) : AuditStoreTests(engine), IClassFixture<SqliteEngine>;

[Collection(MariaDbFixture.Collection)]
public sealed class AuditStoreOnMariaDb(MariaDbFixture engine) : AuditStoreTests(engine);
