using FluentMigrator;

namespace Agents.Producers.Storage.Migrations;

/// <summary>
/// A registered VM may be a system VM (CloudStack's secondarystoragevm or consoleproxy): its type,
/// null for a user VM. Existing rows stay user VMs.
/// </summary>
[Migration(5, "virtual_machines.system_vm_type")]
public sealed class AddSystemVmType : Migration
{
    public override void Up()
    {
        if (Schema.Table("virtual_machines").Column("system_vm_type").Exists()) return;
        Alter.Table("virtual_machines").AddColumn("system_vm_type").AsString(32).Nullable();
    }

    public override void Down() => Delete.Column("system_vm_type").FromTable("virtual_machines");
}
