using Microsoft.Data.Sqlite;
using MySqlConnector;

namespace Agents.Storage.Tests;

public sealed class DatabaseFailureTests
{
    [Fact]
    public async Task a_providers_database_exception_is_a_database_failure_even_wrapped()
    {
        await using var connection = new SqliteConnection("Data Source=:memory:");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT * FROM no_such_table";
        var e = await Assert.ThrowsAsync<SqliteException>(() => command.ExecuteReaderAsync());

        Assert.Same(e, DatabaseFailure.In(e));
        Assert.Same(e, DatabaseFailure.In(new InvalidOperationException("outer", e)));
    }

    [Fact]
    public async Task a_state_error_thrown_by_the_providers_own_code_is_a_database_failure()
    {
        // MySqlConnector answers a command on a connection that is not open with an InvalidOperationException of its own
        await using var connection = new MySqlConnection("Server=127.0.0.1;Port=1;User ID=nobody");
        await using var command = new MySqlCommand("SELECT 1", connection);
        var e = await Assert.ThrowsAsync<InvalidOperationException>(() => command.ExecuteScalarAsync());

        Assert.Same(e, DatabaseFailure.In(e));
    }

    [Fact]
    public void an_exception_of_the_callers_own_code_is_not_a_database_failure()
    {
        Assert.Null(DatabaseFailure.In(new InvalidOperationException("a bug of ours")));
        Assert.Null(DatabaseFailure.In(new ArgumentException("bad", new FormatException("inner"))));
        Assert.Null(DatabaseFailure.In(null));
    }
}
