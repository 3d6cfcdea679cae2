using System.Text;
using Agents.Contracts.Events;
using Agents.Producers.Jobs;
using Agents.Producers.Storage;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Agents.Producers.Tests;

public sealed class JobStoreTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("producers-store-").FullName;

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_dir, recursive: true);
    }

    private async Task<(SqliteJobStore Store, string Path)> OpenAsync()
    {
        var options = Options.Create(new ProducersOptions { DatabasePath = Path.Combine(_dir, "p.db"), MasterKey = "unit-test-master-key-0123456789" });
        var db = new Database(options);
        await new Migrations(db, NullLogger<Migrations>.Instance).StartAsync(default);
        return (new SqliteJobStore(db, new SecretBox(options)), options.Value.DatabasePath);
    }

    private static Job NewJob() => new(Guid.NewGuid(), "resetPasswordForVirtualMachine", "alice", AsyncJobStatus.Pending, "Queued",
        "VirtualMachine", "vm-1", 1, 0, false, null, null, DateTimeOffset.UtcNow, null);

    [Fact]
    public async Task a_reset_password_is_stored_encrypted_and_handed_out_only_once()
    {
        var (store, path) = await OpenAsync();
        var job = NewJob();
        const string password = "Very-Secret-Pa55word!";
        await store.CreateAsync(job, [JobTarget.New(job.Id, 0, "ResetVmPassword", "r-1", "vm-1", "{}")], password, DateTimeOffset.UtcNow.AddMinutes(5), default);

        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        var raw = await File.ReadAllBytesAsync(path);
        var wal = File.Exists(path + "-wal") ? await File.ReadAllBytesAsync(path + "-wal") : [];
        Assert.DoesNotContain(password, Encoding.Latin1.GetString([.. raw, .. wal]), StringComparison.Ordinal);

        Assert.Equal(password, await store.TakeSecretAsync(job.Id, default));
        Assert.Null(await store.TakeSecretAsync(job.Id, default));
    }

    [Fact]
    public async Task an_unread_password_is_purged_after_its_ttl()
    {
        var (store, _) = await OpenAsync();
        var job = NewJob();
        await store.CreateAsync(job, [JobTarget.New(job.Id, 0, "ResetVmPassword", "r-1", "vm-1", "{}")], "pw-never-read-1A!", DateTimeOffset.UtcNow.AddSeconds(-1), default);

        Assert.Equal(1, await store.PurgeExpiredSecretsAsync(DateTimeOffset.UtcNow, default));
        Assert.Null(await store.TakeSecretAsync(job.Id, default));
    }

    [Fact]
    public async Task the_schema_migration_runs_once_and_a_restart_keeps_the_jobs()
    {
        var (store, _) = await OpenAsync();
        var job = NewJob();
        await store.CreateAsync(job, [JobTarget.New(job.Id, 0, "ResetVmPassword", "r-1", "vm-1", "{}")], null, null, default);

        var (again, _) = await OpenAsync();

        Assert.Equal(job.Id, (await again.GetAsync(job.Id, default))!.Id);
        Assert.Equal([job.Id], await again.UnfinishedJobIdsAsync(default));
    }
}
