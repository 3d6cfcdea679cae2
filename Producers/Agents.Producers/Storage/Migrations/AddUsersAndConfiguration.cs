using System.Data;
using System.Data.Common;
using Agents.Storage;
using FluentMigrator;

namespace Agents.Producers.Storage.Migrations;

/// <summary>
/// Users (login, passwords, the owners of API keys), an id for each account, the API key itself kept
/// sealed (getUserKeys), and the configuration values updateConfiguration stores. Every existing
/// account gets a first user named as the account, and its keys become that user's. A file made by
/// the api branch's own migration step (PRAGMA user_version 2) already has all of it: kept as it is.
/// </summary>
[Migration(2, "users, accounts.id, api_keys.user_id and api_key_sealed, configuration")]
public sealed class AddUsersAndConfiguration : Migration
{
    private const int Name = 255;
    private const int Id = 36;
    private const int Time = 40;

    public override void Up()
    {
        if (Schema.Table("users").Exists()) return;
        Alter.Table("accounts").AddColumn("id").AsString(Id).Nullable();
        Create.Table("users")
            .WithColumn("id").AsString(Id).PrimaryKey()
            .WithColumn("account").AsString(Name).NotNullable().ForeignKey("users_account_fk", "accounts", "name")
            .WithColumn("username").AsString(Name).NotNullable().Unique("users_username")
            .WithColumn("password_hash").AsString(Name).Nullable()
            .WithColumn("firstname").AsString(Name).Nullable()
            .WithColumn("lastname").AsString(Name).Nullable()
            .WithColumn("email").AsString(Name).Nullable()
            .WithColumn("state").AsString(32).NotNullable()
            .WithColumn("created").AsString(Time).NotNullable();
        Create.Index("users_account").OnTable("users").OnColumn("account");
        // SQLite adds a column's reference only inline; MariaDB as a constraint
        IfDatabase(IsSqlite).Execute.Sql("ALTER TABLE api_keys ADD COLUMN user_id TEXT REFERENCES users(id)");
        IfDatabase(t => !IsSqlite(t)).Alter.Table("api_keys").AddColumn("user_id").AsString(Id).Nullable().ForeignKey("api_keys_user", "users", "id");
        Alter.Table("api_keys").AddColumn("api_key_sealed").AsBinary(int.MaxValue).Nullable();
        // ids made here, not by the engine: SQLite and MariaDB have no random id function in common
        Execute.WithConnection(GiveAccountsIdsAndFirstUsers);
        Create.Index("accounts_id").OnTable("accounts").OnColumn("id").Unique();
        Create.Table("configuration")
            .WithColumn("name").AsString(Name).PrimaryKey()
            .WithColumn("value").AsString(int.MaxValue).NotNullable()
            .WithColumn("updated").AsString(Time).NotNullable()
            .WithColumn("updated_by").AsString(Name).Nullable();
    }

    public override void Down()
    {
        Delete.Table("configuration");
        Delete.Index("accounts_id").OnTable("accounts");
        Delete.Column("api_key_sealed").FromTable("api_keys");
        Delete.Column("user_id").FromTable("api_keys");
        Delete.Table("users");
        Delete.Column("id").FromTable("accounts");
    }

    private static bool IsSqlite(string databaseType) => databaseType.Equals("SQLite", StringComparison.OrdinalIgnoreCase);

    private static void GiveAccountsIdsAndFirstUsers(IDbConnection connection, IDbTransaction? transaction)
    {
        var accounts = new List<(string Name, string Created)>();
        using (var read = Command(connection, transaction, "SELECT name, created FROM accounts"))
        using (var reader = read.ExecuteReader())
            while (reader.Read()) accounts.Add((reader.GetString(0), reader.GetString(1)));
        foreach (var (name, created) in accounts)
        {
            var userId = Guid.NewGuid().ToString();
            Run(connection, transaction, "UPDATE accounts SET id = @id WHERE name = @n", ("@id", Guid.NewGuid().ToString()), ("@n", name));
            Run(connection, transaction, "INSERT INTO users(id, account, username, state, created) VALUES (@id, @n, @n, 'enabled', @t)",
                ("@id", userId), ("@n", name), ("@t", created));
            Run(connection, transaction, "UPDATE api_keys SET user_id = @id WHERE account = @n", ("@id", userId), ("@n", name));
        }
    }

    private static void Run(IDbConnection connection, IDbTransaction? transaction, string sql, params (string Name, object? Value)[] args)
    {
        using var command = Command(connection, transaction, sql, args);
        command.ExecuteNonQuery();
    }

    /// <summary>The runner's connection is the engine's ADO.NET one: the stores' command helper serves.</summary>
    private static DbCommand Command(IDbConnection connection, IDbTransaction? transaction, string sql, params (string Name, object? Value)[] args)
    {
        var command = ((DbConnection)connection).Command(sql, args);
        command.Transaction = (DbTransaction?)transaction;
        return command;
    }
}
