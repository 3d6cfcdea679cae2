using FluentMigrator;

namespace Agents.Consumers.Alerts.Migrations;

/// <summary>Delivery ids seen, alert groups and the e-mail outbox; a file of the previous release (PRAGMA user_version 1) already has them.</summary>
[Migration(1, "processed_events, alert_groups, outbox")]
public sealed class CreateAlertTables : Migration
{
    public override void Up()
    {
        if (Schema.Table("alert_groups").Exists()) return;
        Create.Table("processed_events")
            .WithColumn("event_id").AsString(255).PrimaryKey()
            .WithColumn("at_ms").AsInt64().NotNullable();
        Create.Index("ix_processed_at").OnTable("processed_events").OnColumn("at_ms");
        Create.Table("alert_groups")
            .WithColumn("rule").AsString(255).PrimaryKey()
            .WithColumn("group_key").AsString(255).PrimaryKey()
            .WithColumn("state").AsString(16).NotNullable()
            .WithColumn("episode").AsInt64().NotNullable()
            .WithColumn("severity").AsString(16).NotNullable()
            .WithColumn("type").AsString(255).NotNullable()
            .WithColumn("resource_type").AsString(255).NotNullable()
            .WithColumn("resource_id").AsString(255).NotNullable()
            .WithColumn("subject").AsString(int.MaxValue).NotNullable()
            .WithColumn("body").AsString(int.MaxValue).NotNullable()
            .WithColumn("first_seen_ms").AsInt64().NotNullable()
            .WithColumn("last_seen_ms").AsInt64().NotNullable()
            .WithColumn("alerts_since_mail").AsInt64().NotNullable()
            .WithColumn("alerts_in_episode").AsInt64().NotNullable()
            .WithColumn("mails_in_episode").AsInt64().NotNullable()
            .WithColumn("mail_due_ms").AsInt64().Nullable()
            .WithColumn("last_mail_ms").AsInt64().Nullable();
        Create.Index("ix_groups_due").OnTable("alert_groups").OnColumn("mail_due_ms");
        Create.Table("outbox")
            .WithColumn("id").AsInt64().PrimaryKey().Identity()
            .WithColumn("mail_id").AsString(255).NotNullable().Unique("outbox_mail_id")
            .WithColumn("kind").AsString(32).NotNullable()
            .WithColumn("rule").AsString(255).NotNullable()
            .WithColumn("group_key").AsString(255).NotNullable()
            .WithColumn("recipients").AsString(int.MaxValue).NotNullable()
            .WithColumn("subject").AsString(int.MaxValue).NotNullable()
            .WithColumn("body").AsString(int.MaxValue).NotNullable()
            .WithColumn("created_ms").AsInt64().NotNullable()
            .WithColumn("attempts").AsInt32().NotNullable().WithDefaultValue(0)
            .WithColumn("next_attempt_ms").AsInt64().NotNullable()
            .WithColumn("last_error").AsString(int.MaxValue).Nullable()
            .WithColumn("sent_ms").AsInt64().Nullable();
        Create.Index("ix_outbox_pending").OnTable("outbox").OnColumn("next_attempt_ms");
    }

    public override void Down()
    {
        Delete.Table("outbox");
        Delete.Table("alert_groups");
        Delete.Table("processed_events");
    }
}
