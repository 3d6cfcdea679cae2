using Microsoft.Data.Sqlite;

namespace Agents.Storage.Tests;

/// <summary>The writers of one process take turns on a SQLite file: in order, without a lost write, and a stuck one fails the others after the busy timeout.</summary>
public sealed class SqliteWriterTurnTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("writer-turn-").FullName;

    private string File => Path.Combine(_directory, "store.db");

    [Fact]
    public async Task concurrent_writers_of_two_database_objects_on_one_file_all_commit()
    {
        // two stores of one service open the same file through their own Database objects
        var (a, b) = (Database.Sqlite(File), Database.Sqlite(File));
        await a.ExecuteAsync("PRAGMA journal_mode = WAL");
        await a.ExecuteAsync("CREATE TABLE rows (id INTEGER PRIMARY KEY, writer TEXT NOT NULL)");

        await Task.WhenAll(Enumerable.Range(0, 200).Select(i => i % 2 == 0
            ? a.InTransactionAsync(tx => tx.ExecuteAsync("INSERT INTO rows (writer) VALUES ('a')"))
            : b.ExecuteAsync("INSERT INTO rows (writer) VALUES ('b')")));

        Assert.Equal(200L, await a.ScalarAsync("SELECT count(*) FROM rows"));
        Assert.Equal(100L, await b.ScalarAsync("SELECT count(*) FROM rows WHERE writer = 'b'"));
    }

    [Fact]
    public async Task a_writer_that_waits_past_the_busy_timeout_fails_as_sqlite_busy_and_changes_nothing()
    {
        var db = Database.Sqlite(File, busyTimeoutSeconds: 1);
        await db.ExecuteAsync("CREATE TABLE rows (id INTEGER PRIMARY KEY)");
        var release = new TaskCompletionSource();
        var entered = new TaskCompletionSource();
        var holder = db.InTransactionAsync(async tx =>
        {
            await tx.ExecuteAsync("INSERT INTO rows (id) VALUES (1)");
            entered.SetResult();
            await release.Task;
        });
        await entered.Task;

        var e = await Assert.ThrowsAsync<SqliteException>(() => db.ExecuteAsync("INSERT INTO rows (id) VALUES (2)"));
        Assert.Equal(5, e.SqliteErrorCode);
        Assert.Contains("database is locked", e.Message, StringComparison.Ordinal);
        // refused by this process's queue of writers, not by SQLite's busy handler on a blocked thread
        Assert.Contains("another writer of this process", e.Message, StringComparison.Ordinal);
        Assert.Same(e, DatabaseFailure.In(e));

        release.SetResult();
        await holder;
        // the holder's write committed, the refused one is not there, and the next writer goes at once
        await db.ExecuteAsync("INSERT INTO rows (id) VALUES (3)");
        Assert.Equal("1,3", string.Join(',', await db.QueryAsync("SELECT id FROM rows ORDER BY id", r => r.GetInt64(0))));
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }
}
