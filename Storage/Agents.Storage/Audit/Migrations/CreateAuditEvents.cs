using FluentMigrator;

namespace Agents.Storage.Audit.Migrations;

/// <summary>The audit log's table; a file of the previous release (PRAGMA user_version 1) already has it.</summary>
[Migration(1, "audit_events")]
public sealed class CreateAuditEvents : Migration
{
    public override void Up()
    {
        if (Schema.Table("audit_events").Exists()) return;
        Create.Table("audit_events")
            .WithColumn("seq").AsInt64().PrimaryKey().Identity()
            .WithColumn("event_id").AsString(255).NotNullable().Unique("audit_events_event_id")
            .WithColumn("routing_key").AsString(1024).NotNullable()
            .WithColumn("source").AsString(255).NotNullable()
            .WithColumn("category").AsString(64).NotNullable()
            .WithColumn("type").AsString(255).NotNullable()
            .WithColumn("level").AsString(16).NotNullable()
            .WithColumn("resource_type").AsString(255).Nullable()
            .WithColumn("resource_id").AsString(255).Nullable()
            .WithColumn("description").AsString(int.MaxValue).NotNullable()
            .WithColumn("occurred_at_ms").AsInt64().NotNullable()
            .WithColumn("received_at_ms").AsInt64().NotNullable()
            .WithColumn("body").AsString(int.MaxValue).NotNullable();
        Create.Index("ix_audit_occurred").OnTable("audit_events").OnColumn("occurred_at_ms");
        Create.Index("ix_audit_type").OnTable("audit_events").OnColumn("type").Ascending().OnColumn("occurred_at_ms").Ascending();
        Create.Index("ix_audit_resource").OnTable("audit_events").OnColumn("resource_id").Ascending().OnColumn("occurred_at_ms").Ascending();
    }

    public override void Down() => Delete.Table("audit_events");
}
