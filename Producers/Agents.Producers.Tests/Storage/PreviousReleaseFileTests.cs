using Agents.Producers.Accounts;
using Agents.Producers.Inventory;
using Agents.Producers.Jobs;
using Agents.Producers.Presence;
using Agents.Producers.Settings;
using Agents.Producers.SshKeys;
using Agents.Producers.Storage;
using Agents.Storage;
using Agents.Testing;
using Microsoft.Extensions.Options;

namespace Agents.Producers.Tests.Storage;

/// <summary>
/// An API database file of the previous release (its own migration: PRAGMA user_version 1), or one made by the api
/// branch's own second step (user_version 2: users, configuration), opens in place and keeps its rows.
/// </summary>
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
        """;

    private const string PreviousReleaseRows = """
        INSERT INTO accounts VALUES ('alice', 'User', '2026-11-01T10:00:00.0000000+00:00');
        INSERT INTO virtual_machines VALUES ('vm-old', 'r-old', 'alice', 'legacy', '2026-11-01T10:00:00.0000000+00:00');
        INSERT INTO ssh_keypairs VALUES ('alice', 'laptop', 'ssh-ed25519 AAAA alice', 'aa:bb', '2026-11-01T10:00:00.0000000+00:00');
        INSERT INTO jobs VALUES ('6f9d2b1e-0000-4000-8000-000000000001', 'resetPasswordForVirtualMachine', 'alice', 0, 'Queued',
            'VirtualMachine', 'vm-old', 1, 0, 0, NULL, NULL, '2026-11-01T10:00:00.0000000+00:00', NULL);
        INSERT INTO job_targets VALUES ('6f9d2b1e-0000-4000-8000-000000000001', 0, '6f9d2b1e-0000-4000-8000-0000000000c1', 'ResetVmPassword',
            'r-old', 'vm-old', '{}', 'Pending', 0, NULL, NULL, NULL, NULL, NULL, '2026-11-01T10:00:00.0000000+00:00');
        INSERT INTO agents VALUES ('vm-old', 'r-old', 'Connected', '1.0', NULL, NULL, NULL, NULL, NULL, '2026-11-01T10:00:00.0000000+00:00');
        """;

    /// <summary>The api branch's own second step, verbatim (its Storage/Migrations.cs, step 2: PRAGMA user_version 2).</summary>
    private const string ApiBranchStep = """
        ALTER TABLE accounts ADD COLUMN id TEXT;
        UPDATE accounts SET id = lower(hex(randomblob(16))) WHERE id IS NULL;
        CREATE UNIQUE INDEX accounts_id ON accounts(id);
        CREATE TABLE users (
            id TEXT PRIMARY KEY, account TEXT NOT NULL REFERENCES accounts(name), username TEXT NOT NULL UNIQUE,
            password_hash TEXT, firstname TEXT, lastname TEXT, email TEXT, state TEXT NOT NULL, created TEXT NOT NULL);
        CREATE INDEX users_account ON users(account);
        INSERT INTO users(id, account, username, state, created) SELECT lower(hex(randomblob(16))), name, name, 'enabled', created FROM accounts;
        ALTER TABLE api_keys ADD COLUMN user_id TEXT REFERENCES users(id);
        ALTER TABLE api_keys ADD COLUMN api_key_sealed BLOB;
        UPDATE api_keys SET user_id = (SELECT id FROM users WHERE users.account = api_keys.account);
        CREATE TABLE configuration (name TEXT PRIMARY KEY, value TEXT NOT NULL, updated TEXT NOT NULL, updated_by TEXT);
        PRAGMA user_version = 2;
        UPDATE users SET password_hash = 'pbkdf2-of-alice', email = 'alice@example.org' WHERE account = 'alice';
        INSERT INTO configuration VALUES ('agents.provisioning.retries', '5', '2026-11-02T10:00:00.0000000+00:00', 'admin');
        """;

    private static readonly SecretBox Box = new(Options.Create(new ProducersOptions { MasterKey = "unit-test-master-key-0123456789" }));

    /// <summary>An API key of the previous release: its columns only, no user.</summary>
    private static async Task<ApiKeyPair> AddOldKeyAsync(Database db, string account)
    {
        var keys = new ApiKeyPair("old-key-" + account, "old-secret-" + account);
        var hash = Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(keys.ApiKey)));
        await db.ExecuteAsync("INSERT INTO api_keys(api_key_hash, account, secret_sealed, created) VALUES (@h, @a, @s, '2026-11-01T10:00:00.0000000+00:00')",
            ("@h", hash), ("@a", account), ("@s", Box.Seal(keys.SecretKey, "api-secret/" + hash)));
        return keys;
    }

    [Fact]
    public async Task a_file_of_the_previous_release_opens_in_place_keeps_its_rows_and_takes_new_ones()
    {
        var db = await engine.DatabaseAsync("previous");
        await PreviousReleaseFile.CreateAsync(db.SqlitePath!, PreviousRelease + PreviousReleaseRows);
        var oldKeys = await AddOldKeyAsync(db, "alice");

        await SchemaMigrator.MigrateAsync(db, ProducersSchema.Schema);

        var box = Box;
        var jobs = new SqlJobStore(db, box);
        var jobId = Guid.Parse("6f9d2b1e-0000-4000-8000-000000000001");
        Assert.Equal([jobId], await jobs.UnfinishedJobIdsAsync(default));
        Assert.Equal("vm-old", (await jobs.FindTargetAsync(Guid.Parse("6f9d2b1e-0000-4000-8000-0000000000c1"), default))!.VmId);
        Assert.Equal("legacy", (await new SqlVmInventory(db).FindAsync("vm-old", default))!.Name);
        Assert.Single(await new SqlSshKeyPairStore(db).ListAsync("alice", "laptop", default));
        Assert.Equal("Connected", Assert.Single(await new SqlAgentDirectory(db).ListAsync("r-old", null, default)).State);
        var accounts = new SqlAccountStore(db, box, TimeProvider.System);
        Assert.Contains(("alice", Role.User), (await accounts.ListAccountsAsync(default)).Select(a => (a.Name, a.Role)));

        // the old account has a first user named as it, and its old key is that user's
        var alice = Assert.Single(await accounts.ListUsersAsync(default));
        Assert.Equal(("alice", "alice", "enabled"), (alice.Username, alice.Account, alice.State));
        var found = (await accounts.FindAsync(oldKeys.ApiKey, default))!.Value;
        Assert.Equal((alice.Id, oldKeys.SecretKey), (found.Caller.UserId, found.SecretKey));

        // new rows go in beside the old ones, and a second start changes nothing
        var keys = await accounts.CreateKeysAsync("alice", Role.User, default);
        await SchemaMigrator.MigrateAsync(db, ProducersSchema.Schema);
        Assert.Equal(alice.Id, (await accounts.FindAsync(keys.ApiKey, default))!.Value.Caller.UserId);
        Assert.Equal([1L, 2L, 3L, 4L, 5L, 6L], await db.QueryAsync($"SELECT version FROM {ProducersSchema.Schema.VersionTable} ORDER BY version", r => r.Long(0)));
    }

    [Fact]
    public async Task a_file_made_by_the_api_branch_s_own_second_step_opens_in_place_with_its_users_and_settings()
    {
        var db = await engine.DatabaseAsync("api-branch");
        await PreviousReleaseFile.CreateAsync(db.SqlitePath!, PreviousRelease + PreviousReleaseRows);
        var oldKeys = await AddOldKeyAsync(db, "alice");
        await db.ExecuteAsync(ApiBranchStep);

        await SchemaMigrator.MigrateAsync(db, ProducersSchema.Schema);

        var accounts = new SqlAccountStore(db, Box, TimeProvider.System);
        var login = (await accounts.FindLoginAsync("alice", default))!.Value;
        Assert.Equal(("pbkdf2-of-alice", "alice@example.org"), (login.PasswordHash, login.User.Email));
        Assert.Equal(login.User.Id, (await accounts.FindAsync(oldKeys.ApiKey, default))!.Value.Caller.UserId);
        Assert.Equal("5", (await new SqlSettingsStore(db).AllAsync(default))["agents.provisioning.retries"]);
        var bob = await accounts.CreateAccountAsync("bob", Role.User, new NewUser("bob", "h", null, null, null), default);
        Assert.True(bob);
        Assert.Equal([1L, 2L, 3L, 4L, 5L, 6L], await db.QueryAsync($"SELECT version FROM {ProducersSchema.Schema.VersionTable} ORDER BY version", r => r.Long(0)));
    }
}
