using System.ComponentModel.DataAnnotations;

namespace Agents.Storage.Tests;

/// <summary>A wrong Storage setting is refused at start with a message naming it.</summary>
public sealed class StorageOptionsTests
{
    private static List<string> Errors(StorageOptions options)
    {
        var results = new List<ValidationResult>();
        Validator.TryValidateObject(options, new ValidationContext(options), results, validateAllProperties: true);
        return [.. results.Select(r => r.ErrorMessage!)];
    }

    [Fact]
    public void sqlite_needs_no_connection_string()
    {
        Assert.Empty(Errors(new StorageOptions()));
        Assert.Equal(StorageProvider.Sqlite, Database.Sqlite("x.db").Provider);
    }

    [Theory]
    [InlineData(null, "Storage:ConnectionString must be set")]
    [InlineData("Server=db1;User ID=agents", "must name the database")]
    [InlineData("Server=db1;Frobnicate=yes", "is not a MySQL connection string")]
    public void mysql_needs_a_connection_string_naming_the_database(string? connectionString, string message)
    {
        var errors = Errors(new StorageOptions { Provider = StorageProvider.MySql, ConnectionString = connectionString });
        Assert.Contains(errors, e => e.Contains(message, StringComparison.Ordinal));
    }

    [Fact]
    public void a_busy_timeout_out_of_range_is_refused()
    {
        Assert.Contains(errors(new StorageOptions { BusyTimeoutSeconds = 0 }), e => e.Contains("BusyTimeoutSeconds", StringComparison.Ordinal));
        static List<string> errors(StorageOptions o) => Errors(o);
    }

    [Fact]
    public void a_mysql_database_is_named_in_logs_without_its_password()
    {
        var db = Database.MySql("Server=db1;Port=3307;Database=agents;User ID=agents;Password=hunter2-secret");
        Assert.Equal("db1:3307/agents", db.Name);
        Assert.DoesNotContain("hunter2", db.Name, StringComparison.Ordinal);
    }
}
