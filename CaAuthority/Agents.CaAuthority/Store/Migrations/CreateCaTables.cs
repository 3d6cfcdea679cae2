using FluentMigrator;

namespace Agents.CaAuthority.Store.Migrations;

/// <summary>The certificate inventory, enrollment tokens and the CRL number; a file of the previous release (schema_version 1) already has them.</summary>
[Migration(1, "certificates, tokens, crl")]
public sealed class CreateCaTables : Migration
{
    private const int Time = 40;

    public override void Up()
    {
        if (Schema.Table("certificates").Exists()) return;
        Create.Table("certificates")
            .WithColumn("serial").AsString(64).PrimaryKey()
            .WithColumn("subject").AsString(1024).NotNullable()
            .WithColumn("sans").AsString(int.MaxValue).NotNullable()
            .WithColumn("holder").AsString(255).Nullable()
            .WithColumn("router_id").AsString(255).Nullable()
            .WithColumn("not_before").AsString(Time).NotNullable()
            .WithColumn("not_after").AsString(Time).NotNullable()
            .WithColumn("status").AsString(16).NotNullable()
            .WithColumn("revoked_at").AsString(Time).Nullable()
            .WithColumn("reason").AsString(int.MaxValue).Nullable()
            .WithColumn("pem").AsString(int.MaxValue).NotNullable()
            .WithColumn("issued_at").AsString(Time).NotNullable()
            .WithColumn("last_expiry_alert_at").AsString(Time).Nullable()
            .WithColumn("renewal_requested_at").AsString(Time).Nullable();
        Create.Index("certificates_holder").OnTable("certificates").OnColumn("holder").Ascending().OnColumn("status").Ascending();
        Create.Index("certificates_expiry").OnTable("certificates").OnColumn("status").Ascending().OnColumn("not_after").Ascending();
        Create.Table("tokens")
            .WithColumn("hash").AsString(64).PrimaryKey()
            .WithColumn("holder").AsString(255).NotNullable()
            .WithColumn("router_id").AsString(255).Nullable()
            .WithColumn("expires_at").AsString(Time).NotNullable()
            .WithColumn("used_at").AsString(Time).Nullable();
        // one row: the last CRL number handed out
        Create.Table("crl")
            .WithColumn("id").AsInt32().PrimaryKey()
            .WithColumn("number").AsInt64().NotNullable();
        Insert.IntoTable("crl").Row(new { id = 1, number = 0L });
    }

    public override void Down()
    {
        Delete.Table("crl");
        Delete.Table("tokens");
        Delete.Table("certificates");
    }
}
