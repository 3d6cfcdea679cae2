using System.Data.Common;
using System.Globalization;
using Microsoft.Data.Sqlite;
using MySqlConnector;

namespace Agents.Storage;

/// <summary>
/// Every piece of SQL that differs between SQLite and MariaDB/MySQL, in one place. Stores write
/// the rest once, in the subset both engines share: <c>@name</c> parameters, <c>LIMIT … OFFSET</c>,
/// no <c>RETURNING</c>, no <c>FILTER</c>; a statement's count is the rows it matched on both.
/// </summary>
public sealed class SqlDialect
{
    public static readonly SqlDialect Sqlite = new(StorageProvider.Sqlite);
    public static readonly SqlDialect MySql = new(StorageProvider.MySql);

    private SqlDialect(StorageProvider provider) => Provider = provider;

    public StorageProvider Provider { get; }

    /// <summary>Run on every new connection: SQLite's pragmas are per connection (journal_mode=WAL is the file's, set by <see cref="PrepareDatabase"/>).</summary>
    public string PrepareConnection(int busyTimeoutSeconds) => Provider switch
    {
        // synchronous=FULL: a committed row survives a power cut, WAL or not
        StorageProvider.Sqlite => string.Create(CultureInfo.InvariantCulture,
            $"PRAGMA foreign_keys = ON; PRAGMA busy_timeout = {busyTimeoutSeconds * 1000}; PRAGMA synchronous = FULL;"),
        _ => string.Create(CultureInfo.InvariantCulture, $"SET SESSION innodb_lock_wait_timeout = {busyTimeoutSeconds};"),
    };

    /// <summary>
    /// Run once before migrating. SQLite: WAL, so readers never wait for the writer. MariaDB: tables
    /// created from now on compare text byte for byte, as SQLite does (a server's default collation
    /// is case-insensitive: 'Admin' would find 'admin').
    /// </summary>
    public string PrepareDatabase => Provider switch
    {
        StorageProvider.Sqlite => "PRAGMA journal_mode = WAL;",
        _ => "ALTER DATABASE CHARACTER SET utf8mb4 COLLATE utf8mb4_bin;",
    };

    /// <summary>Starts an insert that skips a row whose key is already there (its count is then 0).</summary>
    public string InsertIgnore => Provider switch
    {
        StorageProvider.Sqlite => "INSERT OR IGNORE",
        _ => "INSERT IGNORE",
    };

    /// <summary>
    /// Inserts a row, or updates <paramref name="update"/> (every non-key column by default) of the
    /// row with the same <paramref name="keys"/>. The parameters are the columns' names (<c>@column</c>).
    /// With <paramref name="newerColumn"/>, an existing row changes only when the new value of that
    /// column is not older than the stored one (a late event never overwrites a newer state).
    /// </summary>
    public string Upsert(string table, IReadOnlyList<string> columns, IReadOnlyList<string> keys, IReadOnlyList<string>? update = null, string? newerColumn = null)
    {
        ArgumentNullException.ThrowIfNull(columns);
        ArgumentNullException.ThrowIfNull(keys);
        var set = (update ?? columns.Where(c => !keys.Contains(c)).ToList()).ToList();
        var insert = $"INSERT INTO {table} ({string.Join(", ", columns)}) VALUES ({string.Join(", ", columns.Select(c => "@" + c))})";
        if (Provider == StorageProvider.Sqlite)
        {
            var when = newerColumn is null ? "" : $" WHERE excluded.{newerColumn} >= {table}.{newerColumn}";
            return $"{insert} ON CONFLICT ({string.Join(", ", keys)}) DO UPDATE SET {string.Join(", ", set.Select(c => $"{c} = excluded.{c}"))}{when}";
        }
        if (newerColumn is null)
            return $"{insert} ON DUPLICATE KEY UPDATE {string.Join(", ", set.Select(c => $"{c} = VALUES({c})"))}";
        // MariaDB assigns left to right: the column the condition reads goes last
        var ordered = set.Where(c => c != newerColumn).Append(newerColumn);
        return $"{insert} ON DUPLICATE KEY UPDATE {string.Join(", ", ordered.Select(c => $"{c} = IF(VALUES({newerColumn}) >= {newerColumn}, VALUES({c}), {c})"))}";
    }

    /// <summary>
    /// Ends a SELECT whose rows the transaction will change: MariaDB locks them until commit, so two
    /// instances never both act on what they read. SQLite needs nothing: its write transactions
    /// (BEGIN IMMEDIATE) already run one at a time.
    /// </summary>
    public string ForUpdate => Provider == StorageProvider.MySql ? " FOR UPDATE" : "";

    /// <summary>A case-insensitive equality (tables compare byte for byte otherwise).</summary>
    public string EqualsIgnoreCase(string column, string parameter) => Provider switch
    {
        StorageProvider.Sqlite => $"{column} = {parameter} COLLATE NOCASE",
        _ => $"{column} = {parameter} COLLATE utf8mb4_general_ci",
    };

    /// <summary>MariaDB's named lock (held by the connection that took it), or null where a lock file serves (SQLite).</summary>
    public string? TakeNamedLock => Provider == StorageProvider.MySql ? "SELECT GET_LOCK(@name, @seconds)" : null;

    public string? ReleaseNamedLock => Provider == StorageProvider.MySql ? "SELECT RELEASE_LOCK(@name)" : null;

    /// <summary>Whether <paramref name="e"/> is a row refused for a key or unique index another row already has.</summary>
    public static bool IsDuplicateKey(DbException e) => e switch
    {
        // SQLITE_CONSTRAINT_UNIQUE, SQLITE_CONSTRAINT_PRIMARYKEY (a foreign key or NOT NULL is not a duplicate)
        SqliteException sqlite => sqlite.SqliteExtendedErrorCode is 2067 or 1555,
        MySqlException mysql => mysql.ErrorCode == MySqlErrorCode.DuplicateKeyEntry,
        _ => false,
    };
}
