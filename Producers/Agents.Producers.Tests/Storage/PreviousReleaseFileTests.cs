using Agents.Producers.Accounts;
using Agents.Producers.Inventory;
using Agents.Producers.Jobs;
using Agents.Producers.Presence;
using Agents.Producers.SshKeys;
using Agents.Producers.Storage;
using Agents.Storage;
using Agents.Testing;
using Microsoft.Extensions.Options;

namespace Agents.Producers.Tests.Storage;

/// <summary>An API database file of the previous release (its own migration: PRAGMA user_version 1) opens in place and keeps its rows.</summary>
public sealed class PreviousReleaseFileTests(SqliteEngine engine) : IClassFixture<SqliteEngine>
{
    /// <summary>The previous release's schema, verbatim (Producers/Agents.Producers/Storage/Migrations.cs, step 1), and some rows.</summary>
    private const string PreviousRelease = """
        CREATE TABLE accounts (name TEXT PRIMARY KEY, role TEXT NOT NULL, created TEXT NOT NULL);
        CREATE TABLE api_keys (
            api_key_hash TEXT PRIMARY KEY,
            account TEXT NOT NULL REFERENCES accounts(name),
            secret_sealed BLOB NOT NULL,
            created TEXT NOT NULL);
        CREATE TABLE virtual_machines (
            id TEXT PRIMARY KEY, router_id TEXT NOT NULL, account TEXT NOT NULL, name TEXT, created TEXT NOT NULL);
        CREATE INDEX vm_router ON virtual_machines(router_id);
        CREATE INDEX vm_account ON virtual_machines(account);
        CREATE TABLE ssh_keypairs (
            account TEXT NOT NULL, name TEXT NOT NULL, public_key TEXT NOT NULL, fingerprint TEXT NOT NULL, created TEXT NOT NULL,
            PRIMARY KEY (account, name));
        CREATE TABLE jobs (
            id TEXT PRIMARY KEY, command TEXT NOT NULL, account TEXT NOT NULL,
            status INTEGER NOT NULL, process_status TEXT NOT NULL,
            instance_type TEXT, instance_id TEXT,
            max_concurrency INTEGER NOT NULL, max_errors INTEGER NOT NULL,
            cancel_requested INTEGER NOT NULL DEFAULT 0,
            details TEXT, error_text TEXT,
            created TEXT NOT NULL, completed TEXT);
        CREATE INDEX jobs_account ON jobs(account, created);
        CREATE TABLE job_targets (
            job_id TEXT NOT NULL REFERENCES jobs(id), seq INTEGER NOT NULL,
            command_id TEXT NOT NULL UNIQUE, command_type TEXT NOT NULL,
            router_id TEXT NOT NULL, vm_id TEXT, payload TEXT NOT NULL,
            status TEXT NOT NULL, attempt INTEGER NOT NULL DEFAULT 0, next_attempt_at TEXT,
            exit_code INTEGER, stdout TEXT, stderr TEXT, message TEXT, updated TEXT NOT NULL,
            PRIMARY KEY (job_id, seq));
        CREATE TABLE job_secrets (job_id TEXT PRIMARY KEY REFERENCES jobs(id), sealed BLOB NOT NULL, expires TEXT NOT NULL);
        CREATE TABLE agents (
            vm_id TEXT PRIMARY KEY, router_id TEXT, state TEXT NOT NULL, agent_version TEXT, address TEXT,
            certificate_serial TEXT, certificate_not_after TEXT, capabilities TEXT, reason TEXT, changed TEXT NOT NULL);
        CREATE TABLE router_health (
            router_id TEXT NOT NULL, check_name TEXT NOT NULL, check_type TEXT, success INTEGER NOT NULL, details TEXT,
            last_updated TEXT NOT NULL, PRIMARY KEY (router_id, check_name));
        PRAGMA user_version = 1;
        INSERT INTO accounts VALUES ('alice', 'User', '2026-11-01T10:00:00.0000000+00:00');
        INSERT INTO virtual_machines VALUES ('vm-old', 'r-old', 'alice', 'legacy', '2026-11-01T10:00:00.0000000+00:00');
        INSERT INTO ssh_keypairs VALUES ('alice', 'laptop', 'ssh-ed25519 AAAA alice', 'aa:bb', '2026-11-01T10:00:00.0000000+00:00');
        INSERT INTO jobs VALUES ('6f9d2b1e-0000-4000-8000-000000000001', 'resetPasswordForVirtualMachine', 'alice', 0, 'Queued',
            'VirtualMachine', 'vm-old', 1, 0, 0, NULL, NULL, '2026-11-01T10:00:00.0000000+00:00', NULL);
        INSERT INTO job_targets VALUES ('6f9d2b1e-0000-4000-8000-000000000001', 0, '6f9d2b1e-0000-4000-8000-0000000000c1', 'ResetVmPassword',
            'r-old', 'vm-old', '{}', 'Pending', 0, NULL, NULL, NULL, NULL, NULL, '2026-11-01T10:00:00.0000000+00:00');
        INSERT INTO agents VALUES ('vm-old', 'r-old', 'Connected', '1.0', NULL, NULL, NULL, NULL, NULL, '2026-11-01T10:00:00.0000000+00:00');
        """;

    [Fact]
    public async Task a_file_of_the_previous_release_opens_in_place_keeps_its_rows_and_takes_new_ones()
    {
        var db = await engine.DatabaseAsync("previous");
        await PreviousReleaseFile.CreateAsync(db.SqlitePath!, PreviousRelease);

        await SchemaMigrator.MigrateAsync(db, ProducersSchema.Schema);

        var box = new SecretBox(Options.Create(new ProducersOptions { MasterKey = "unit-test-master-key-0123456789" }));
        var jobs = new SqlJobStore(db, box);
        var jobId = Guid.Parse("6f9d2b1e-0000-4000-8000-000000000001");
        Assert.Equal([jobId], await jobs.UnfinishedJobIdsAsync(default));
        Assert.Equal("vm-old", (await jobs.FindTargetAsync(Guid.Parse("6f9d2b1e-0000-4000-8000-0000000000c1"), default))!.VmId);
        Assert.Equal("legacy", (await new SqlVmInventory(db).FindAsync("vm-old", default))!.Name);
        Assert.Single(await new SqlSshKeyPairStore(db).ListAsync("alice", "laptop", default));
        Assert.Equal("Connected", Assert.Single(await new SqlAgentDirectory(db).ListAsync("r-old", null, default)).State);
        Assert.Contains(("alice", Role.User), await new SqlAccountStore(db, box).ListAccountsAsync(default));

        // new rows go in beside the old ones, and a second start changes nothing
        var keys = await new SqlAccountStore(db, box).CreateKeysAsync("alice", Role.User, default);
        await SchemaMigrator.MigrateAsync(db, ProducersSchema.Schema);
        Assert.Equal("alice", (await new SqlAccountStore(db, box).FindAsync(keys.ApiKey, default))!.Value.Caller.Account);
        Assert.Equal([1L], await db.QueryAsync($"SELECT version FROM {ProducersSchema.Schema.VersionTable}", r => r.Long(0)));
    }
}
