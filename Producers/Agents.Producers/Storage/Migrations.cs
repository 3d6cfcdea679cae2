using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Agents.Producers.Storage;

/// <summary>Brings the schema to the newest version at start, one numbered step at a time (PRAGMA user_version).</summary>
public sealed class Migrations(Database database, ILogger<Migrations> logger) : IHostedService
{
    private static readonly string[] Steps =
    [
        """
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
        """,
        """
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
        """,
        """
        CREATE TABLE vm_first_boot (
            vm_id TEXT PRIMARY KEY, recipes TEXT NOT NULL, state TEXT NOT NULL, job_id TEXT, updated TEXT NOT NULL);
        """,
    ];

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(database.Path));
        if (directory is not null) Directory.CreateDirectory(directory);
        await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (var wal = connection.Command("PRAGMA journal_mode = WAL;"))
            await wal.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        long version;
        await using (var read = connection.Command("PRAGMA user_version;"))
            version = (long)(await read.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) ?? 0L);
        for (var step = (int)version; step < Steps.Length; step++)
        {
            await using var transaction = (Microsoft.Data.Sqlite.SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            await using (var apply = connection.Command(Steps[step] + $"\nPRAGMA user_version = {step + 1};"))
            {
                apply.Transaction = transaction;
                await apply.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }
            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            logger.LogInformation("Database {Path} migrated to schema version {Version}", database.Path, step + 1);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
