using FluentMigrator;

namespace Agents.Producers.Storage.Migrations;

/// <summary>
/// Accounts and keys, the VM inventory, SSH key pairs, jobs and their targets, agents and router
/// health. A file of the previous release (PRAGMA user_version 1) already has them: kept as they are.
/// </summary>
[Migration(1, "accounts, api_keys, virtual_machines, ssh_keypairs, jobs, job_targets, job_secrets, agents, router_health")]
public sealed class CreateProducersTables : Migration
{
    private const int Id = 255;
    private const int Time = 40;

    public override void Up()
    {
        if (Schema.Table("jobs").Exists()) return;
        Create.Table("accounts")
            .WithColumn("name").AsString(Id).PrimaryKey()
            .WithColumn("role").AsString(32).NotNullable()
            .WithColumn("created").AsString(Time).NotNullable();
        Create.Table("api_keys")
            .WithColumn("api_key_hash").AsString(64).PrimaryKey()
            .WithColumn("account").AsString(Id).NotNullable().ForeignKey("api_keys_account", "accounts", "name")
            .WithColumn("secret_sealed").AsBinary(int.MaxValue).NotNullable()
            .WithColumn("created").AsString(Time).NotNullable();
        Create.Table("virtual_machines")
            .WithColumn("id").AsString(Id).PrimaryKey()
            .WithColumn("router_id").AsString(Id).NotNullable()
            .WithColumn("account").AsString(Id).NotNullable()
            .WithColumn("name").AsString(Id).Nullable()
            .WithColumn("created").AsString(Time).NotNullable();
        Create.Index("vm_router").OnTable("virtual_machines").OnColumn("router_id");
        Create.Index("vm_account").OnTable("virtual_machines").OnColumn("account");
        Create.Table("ssh_keypairs")
            .WithColumn("account").AsString(Id).PrimaryKey()
            .WithColumn("name").AsString(Id).PrimaryKey()
            .WithColumn("public_key").AsString(int.MaxValue).NotNullable()
            .WithColumn("fingerprint").AsString(64).NotNullable()
            .WithColumn("created").AsString(Time).NotNullable();
        Create.Table("jobs")
            .WithColumn("id").AsString(36).PrimaryKey()
            .WithColumn("command").AsString(Id).NotNullable()
            .WithColumn("account").AsString(Id).NotNullable()
            .WithColumn("status").AsInt32().NotNullable()
            .WithColumn("process_status").AsString(Id).NotNullable()
            .WithColumn("instance_type").AsString(Id).Nullable()
            .WithColumn("instance_id").AsString(Id).Nullable()
            .WithColumn("max_concurrency").AsInt32().NotNullable()
            .WithColumn("max_errors").AsInt32().NotNullable()
            .WithColumn("cancel_requested").AsInt32().NotNullable().WithDefaultValue(0)
            .WithColumn("details").AsString(int.MaxValue).Nullable()
            .WithColumn("error_text").AsString(int.MaxValue).Nullable()
            .WithColumn("created").AsString(Time).NotNullable()
            .WithColumn("completed").AsString(Time).Nullable();
        Create.Index("jobs_account").OnTable("jobs").OnColumn("account").Ascending().OnColumn("created").Ascending();
        Create.Table("job_targets")
            .WithColumn("job_id").AsString(36).PrimaryKey().ForeignKey("job_targets_job", "jobs", "id")
            .WithColumn("seq").AsInt32().PrimaryKey()
            .WithColumn("command_id").AsString(36).NotNullable().Unique("job_targets_command_id")
            .WithColumn("command_type").AsString(Id).NotNullable()
            .WithColumn("router_id").AsString(Id).NotNullable()
            .WithColumn("vm_id").AsString(Id).Nullable()
            .WithColumn("payload").AsString(int.MaxValue).NotNullable()
            .WithColumn("status").AsString(32).NotNullable()
            .WithColumn("attempt").AsInt32().NotNullable().WithDefaultValue(0)
            .WithColumn("next_attempt_at").AsString(Time).Nullable()
            .WithColumn("exit_code").AsInt32().Nullable()
            .WithColumn("stdout").AsString(int.MaxValue).Nullable()
            .WithColumn("stderr").AsString(int.MaxValue).Nullable()
            .WithColumn("message").AsString(int.MaxValue).Nullable()
            .WithColumn("updated").AsString(Time).NotNullable();
        Create.Table("job_secrets")
            .WithColumn("job_id").AsString(36).PrimaryKey().ForeignKey("job_secrets_job", "jobs", "id")
            .WithColumn("sealed").AsBinary(int.MaxValue).NotNullable()
            .WithColumn("expires").AsString(Time).NotNullable();
        Create.Table("agents")
            .WithColumn("vm_id").AsString(Id).PrimaryKey()
            .WithColumn("router_id").AsString(Id).Nullable()
            .WithColumn("state").AsString(32).NotNullable()
            .WithColumn("agent_version").AsString(Id).Nullable()
            .WithColumn("address").AsString(Id).Nullable()
            .WithColumn("certificate_serial").AsString(Id).Nullable()
            .WithColumn("certificate_not_after").AsString(Id).Nullable()
            .WithColumn("capabilities").AsString(int.MaxValue).Nullable()
            .WithColumn("reason").AsString(int.MaxValue).Nullable()
            .WithColumn("changed").AsString(Time).NotNullable();
        Create.Table("router_health")
            .WithColumn("router_id").AsString(Id).PrimaryKey()
            .WithColumn("check_name").AsString(Id).PrimaryKey()
            .WithColumn("check_type").AsString(Id).Nullable()
            .WithColumn("success").AsInt32().NotNullable()
            .WithColumn("details").AsString(int.MaxValue).Nullable()
            .WithColumn("last_updated").AsString(Time).NotNullable();
    }

    public override void Down()
    {
        foreach (var table in new[] { "router_health", "agents", "job_secrets", "job_targets", "jobs", "ssh_keypairs", "virtual_machines", "api_keys", "accounts" })
            Delete.Table(table);
    }
}
