using FluentMigrator;

namespace Agents.Producers.Storage.Migrations;

/// <summary>
/// Jobs owned with a lease, as CloudStack's management servers own their async jobs: <c>mshost</c>
/// holds one row per API instance (its msid and heartbeat, <c>last_update</c>), a job records the
/// instance that created it (<c>job_init_msid</c>), the one that runs it (<c>job_executing_msid</c>)
/// and until when that instance's lease holds (<c>job_lease_expires</c>, renewed by its heartbeat).
/// Existing jobs have no owner: the first instance to look takes them once their creation is older
/// than the lease.
/// </summary>
[Migration(6, "mshost, jobs.job_init_msid, job_executing_msid, job_lease_expires")]
public sealed class AddJobOwnership : Migration
{
    private const int Msid = 64;
    private const int Time = 40;

    public override void Up()
    {
        Create.Table("mshost")
            .WithColumn("msid").AsString(Msid).PrimaryKey()
            .WithColumn("runid").AsString(40).NotNullable()
            .WithColumn("name").AsString(255).NotNullable()
            .WithColumn("version").AsString(64).NotNullable()
            .WithColumn("state").AsString(16).NotNullable()
            .WithColumn("last_update").AsString(Time).NotNullable();
        Alter.Table("jobs").AddColumn("job_init_msid").AsString(Msid).Nullable();
        Alter.Table("jobs").AddColumn("job_executing_msid").AsString(Msid).Nullable();
        Alter.Table("jobs").AddColumn("job_lease_expires").AsString(Time).Nullable();
        Create.Index("jobs_executing_msid").OnTable("jobs").OnColumn("job_executing_msid").Ascending().OnColumn("status").Ascending();
    }

    public override void Down()
    {
        Delete.Index("jobs_executing_msid").OnTable("jobs");
        Delete.Column("job_lease_expires").FromTable("jobs");
        Delete.Column("job_executing_msid").FromTable("jobs");
        Delete.Column("job_init_msid").FromTable("jobs");
        Delete.Table("mshost");
    }
}
