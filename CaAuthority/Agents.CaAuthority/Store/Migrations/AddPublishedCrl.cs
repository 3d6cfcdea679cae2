using FluentMigrator;

namespace Agents.CaAuthority.Store.Migrations;

/// <summary>
/// The signed CRL itself beside its number, so that every CA instance on one inventory serves the
/// same latest CRL, whichever instance recorded the revocation.
/// </summary>
[Migration(2, "crl.der")]
public sealed class AddPublishedCrl : Migration
{
    public override void Up() => Alter.Table("crl").AddColumn("der").AsBinary(int.MaxValue).Nullable();

    public override void Down() => Delete.Column("der").FromTable("crl");
}
