using System.ComponentModel.DataAnnotations;
using MySqlConnector;

namespace Agents.Storage;

/// <summary>
/// Where the stores of a service live. Section <c>Storage</c>. With <see cref="StorageProvider.Sqlite"/>
/// each store keeps the file its service's own setting names (Producers:DatabasePath ...); with
/// <see cref="StorageProvider.MySql"/> every store of every service is in the one database of
/// <see cref="ConnectionString"/>.
/// </summary>
public sealed class StorageOptions : IValidatableObject
{
    public const string Section = "Storage";

    public StorageProvider Provider { get; set; } = StorageProvider.Sqlite;

    /// <summary>MySql only: a MySqlConnector connection string naming the database (Server=…;Database=…;User ID=…;Password=…).</summary>
    public string? ConnectionString { get; set; }

    /// <summary>How long a statement waits for a lock held by another connection or process before it fails.</summary>
    [Range(1, 600)]
    public int BusyTimeoutSeconds { get; set; } = 30;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (Provider != StorageProvider.MySql) yield break;
        if (string.IsNullOrWhiteSpace(ConnectionString))
        {
            yield return new ValidationResult("Storage:ConnectionString must be set when Storage:Provider is MySql (Server=…;Database=…;User ID=…;Password=…)", [nameof(ConnectionString)]);
            yield break;
        }
        MySqlConnectionStringBuilder? parsed = null;
        string? error = null;
        try { parsed = new MySqlConnectionStringBuilder(ConnectionString); }
        catch (ArgumentException e) { error = e.Message; }
        if (parsed is null)
            yield return new ValidationResult($"Storage:ConnectionString is not a MySQL connection string: {error}", [nameof(ConnectionString)]);
        else if (string.IsNullOrWhiteSpace(parsed.Database))
            yield return new ValidationResult("Storage:ConnectionString must name the database (Database=…)", [nameof(ConnectionString)]);
    }

    /// <summary>The database of one store: <paramref name="sqlitePath"/> with SQLite, the shared database with MySql.</summary>
    public Database Open(string sqlitePath) => Provider switch
    {
        StorageProvider.MySql => Database.MySql(ConnectionString!, BusyTimeoutSeconds),
        _ => Database.Sqlite(sqlitePath, BusyTimeoutSeconds),
    };
}
