using FluentMigrator;

namespace Agents.Producers.Storage.Migrations;

/// <summary>
/// The first-boot recipes chosen for a VM (updateVMFirstBootRecipes) and whether they were started.
/// A file made by the console branch's own migration step (PRAGMA user_version 3) already has the
/// table: kept as it is.
/// </summary>
[Migration(3, "vm_first_boot")]
public sealed class AddFirstBootRecipes : Migration
{
    public override void Up()
    {
        if (Schema.Table("vm_first_boot").Exists()) return;
        Create.Table("vm_first_boot")
            .WithColumn("vm_id").AsString(64).PrimaryKey()
            .WithColumn("recipes").AsString(int.MaxValue).NotNullable()
            .WithColumn("state").AsString(16).NotNullable()
            .WithColumn("job_id").AsString(36).Nullable()
            .WithColumn("updated").AsString(40).NotNullable();
    }

    public override void Down() => Delete.Table("vm_first_boot");
}
