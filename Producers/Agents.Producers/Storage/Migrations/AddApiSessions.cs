using FluentMigrator;

namespace Agents.Producers.Storage.Migrations;

/// <summary>
/// Sign-in sessions in the database, so that every API instance on it knows them (a session made
/// on one instance is good on another). Only SHA-256 hashes of the session id and key are kept:
/// a copy of the table signs no one in.
/// </summary>
[Migration(4, "api_sessions")]
public sealed class AddApiSessions : Migration
{
    public override void Up()
    {
        Create.Table("api_sessions")
            .WithColumn("id_hash").AsString(64).PrimaryKey()
            .WithColumn("key_hash").AsString(64).NotNullable()
            .WithColumn("account").AsString(255).NotNullable()
            .WithColumn("role").AsString(32).NotNullable()
            .WithColumn("user_id").AsString(36).Nullable()
            .WithColumn("username").AsString(255).Nullable()
            .WithColumn("created").AsString(40).NotNullable()
            .WithColumn("last_seen").AsString(40).NotNullable();
        Create.Index("api_sessions_last_seen").OnTable("api_sessions").OnColumn("last_seen");
    }

    public override void Down() => Delete.Table("api_sessions");
}
