using Agents.Storage.Audit;
using Agents.Storage.Copying;
using Agents.Testing;

namespace Agents.Storage.Tests;

/// <summary>migrate-store's copier on a store of this assembly (the audit log): SQLite file in, private MariaDB out.</summary>
[Collection(MariaDbFixture.Collection)]
public sealed class StoreCopierTests(MariaDbFixture mariadb) : IDisposable
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 4, 10, 0, 0, TimeSpan.Zero);
    private readonly TempDirectory _temp = new();

    [Fact]
    public async Task every_row_of_a_sqlite_store_is_copied_in_batches_and_reads_back_the_same()
    {
        var source = await SqliteAuditAsync("full.db", 1234);
        var target = Database.MySql(await mariadb.Node.CreateDatabaseAsync("copy_full"));
        var reported = new List<TableCopied>();

        var copied = await StoreCopier.CopyAsync(source.Database, target, AuditStore.Schema, new StoreCopyOptions { BatchSize = 100 }, reported.Add);

        var table = Assert.Single(copied);
        Assert.Equal(new TableCopied("audit_events", 1234), table);
        Assert.Equal(copied, reported);
        Assert.Equal(await ExportAsync(source), await ExportAsync(new AuditStore(target)));
    }

    [Fact]
    public async Task a_target_with_rows_is_refused_and_kept_without_force_and_replaced_with_it()
    {
        var source = await SqliteAuditAsync("twice.db", 10);
        var target = Database.MySql(await mariadb.Node.CreateDatabaseAsync("copy_twice"));
        await StoreCopier.CopyAsync(source.Database, target, AuditStore.Schema, new StoreCopyOptions());
        var moved = new AuditStore(target);
        Assert.True(await moved.AppendAsync(Record("written-after-the-copy")));

        var refused = await Assert.ThrowsAsync<StoreCopyException>(() => StoreCopier.CopyAsync(source.Database, target, AuditStore.Schema, new StoreCopyOptions()));
        Assert.Contains("already has rows in audit_events", refused.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(MariaDbNode.Password, refused.Message, StringComparison.Ordinal);
        Assert.Equal(11, (await moved.QueryAsync(new AuditQuery())).TotalCount);

        await StoreCopier.CopyAsync(source.Database, target, AuditStore.Schema, new StoreCopyOptions { Force = true });
        Assert.Equal(await ExportAsync(source), await ExportAsync(moved));
    }

    [Fact]
    public async Task a_file_that_is_no_store_of_the_schema_is_refused_before_the_target_is_touched()
    {
        var path = Path.Combine(_temp.Path, "other.db");
        await Database.Sqlite(path).ExecuteAsync("CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT)");
        var connectionString = await mariadb.Node.CreateDatabaseAsync("copy_other");
        var target = Database.MySql(connectionString);

        var refused = await Assert.ThrowsAsync<StoreCopyException>(() => StoreCopier.CopyAsync(Database.Sqlite(path), target, AuditStore.Schema, new StoreCopyOptions()));

        Assert.Contains("has no schema_audit table", refused.Message, StringComparison.Ordinal);
        Assert.Equal(0L, Convert.ToInt64(await target.ScalarAsync("SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE()"), System.Globalization.CultureInfo.InvariantCulture));
    }

    public void Dispose() => _temp.Dispose();

    private async Task<AuditStore> SqliteAuditAsync(string file, int records)
    {
        var store = await AuditStore.OpenAsync(Database.Sqlite(Path.Combine(_temp.Path, file)));
        for (var i = 0; i < records; i++)
            Assert.True(await store.AppendAsync(Record($"e{i}", i)));
        return store;
    }

    private static AuditRecord Record(string id, int minute = 0) => new()
    {
        EventId = id, RoutingKey = $"agents-framework.ActionEvent.VM-RESETPASSWORD.VirtualMachine.vm-{minute % 7}", Source = "agents-framework",
        Category = "ActionEvent", Type = "VM.RESETPASSWORD", Level = minute % 5 == 0 ? AuditLevel.Error : AuditLevel.Info, ResourceType = "VirtualMachine",
        ResourceId = $"vm-{minute % 7}", Description = $"reset 'é' №{minute}", OccurredAt = T0.AddMinutes(minute), ReceivedAt = T0.AddMinutes(minute),
        Body = "{\"n\":" + minute + "}",
    };

    private static async Task<string> ExportAsync(AuditStore store)
    {
        using var text = new StringWriter();
        await store.ExportJsonLinesAsync(new AuditQuery { Page = 1, PageSize = AuditQuery.MaxPageSize }, text);
        return text.ToString();
    }
}
