using System.Text;
using Agents.Contracts.Events;
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

/// <summary>The API's stores (jobs, accounts, VMs, SSH keys, agents) on every engine: one suite, a database per engine.</summary>
public abstract class ProducersStoreTests(StoreEngine engine)
{
    private static readonly SecretBox Box = new(Options.Create(new ProducersOptions { MasterKey = "unit-test-master-key-0123456789" }));
    private readonly string _run = Guid.NewGuid().ToString("N")[..8];

    /// <summary>The suite's database, migrated as the service does at start (a second call is a restart).</summary>
    private async Task<Database> OpenAsync()
    {
        var db = await engine.DatabaseAsync(GetType().Name);
        await SchemaMigrator.MigrateAsync(db, ProducersSchema.Schema);
        return db;
    }

    private Job NewJob() => new(Guid.NewGuid(), "resetPasswordForVirtualMachine", "alice-" + _run, AsyncJobStatus.Pending, "Queued",
        "VirtualMachine", "vm-1", 1, 0, false, null, null, DateTimeOffset.UtcNow, null);

    [Fact]
    public async Task a_reset_password_is_stored_encrypted_and_handed_out_only_once_even_to_two_takers_at_once()
    {
        var db = await OpenAsync();
        var store = new SqlJobStore(db, Box);
        var job = NewJob();
        const string password = "Very-Secret-Pa55word!";
        await store.CreateAsync(job, [JobTarget.New(job.Id, 0, "ResetVmPassword", "r-1", "vm-1", "{}")], password, DateTimeOffset.UtcNow.AddMinutes(5), default);

        var stored = (byte[])(await db.ScalarAsync("SELECT sealed FROM job_secrets WHERE job_id = @id", ("@id", job.Id.ToString())))!;
        Assert.DoesNotContain(password, Encoding.Latin1.GetString(stored), StringComparison.Ordinal);

        // two API instances reading the job result at the same moment
        var other = new SqlJobStore(db, Box);
        var taken = await Task.WhenAll(store.TakeSecretAsync(job.Id, default), other.TakeSecretAsync(job.Id, default));
        Assert.Equal(password, Assert.Single(taken, t => t is not null));
        Assert.Null(await store.TakeSecretAsync(job.Id, default));
    }

    [Fact]
    public async Task an_unread_password_is_purged_after_its_ttl()
    {
        var store = new SqlJobStore(await OpenAsync(), Box);
        var job = NewJob();
        await store.CreateAsync(job, [JobTarget.New(job.Id, 0, "ResetVmPassword", "r-1", "vm-1", "{}")], "pw-never-read-1A!", DateTimeOffset.UtcNow.AddSeconds(-1), default);

        Assert.True(await store.PurgeExpiredSecretsAsync(DateTimeOffset.UtcNow, default) >= 1);
        Assert.Null(await store.TakeSecretAsync(job.Id, default));
    }

    [Fact]
    public async Task the_schema_migration_runs_once_and_a_restart_keeps_the_jobs_and_their_targets()
    {
        var store = new SqlJobStore(await OpenAsync(), Box);
        var job = NewJob();
        var target = JobTarget.New(job.Id, 0, "ResetVmPassword", "r-1", "vm-1", "{\"x\":1}");
        await store.CreateAsync(job, [target, JobTarget.New(job.Id, 1, "ResetVmPassword", "r-1", "vm-2", "{}")], null, null, default);
        await store.UpdateTargetAsync(target with { Status = TargetStatus.Success, ExitCode = 0, Stdout = "ok", Attempt = 2, Updated = DateTimeOffset.UtcNow }, default);

        var db = await OpenAsync();
        var again = new SqlJobStore(db, Box);
        Assert.Equal(job.Id, (await again.GetAsync(job.Id, default))!.Id);
        Assert.Contains(job.Id, await again.UnfinishedJobIdsAsync(default));
        Assert.Equal([job.Id], (await again.ListAsync(job.Account, null, 10, default)).Select(j => j.Id));
        var found = await again.FindTargetAsync(target.CommandId, default);
        Assert.Equal((TargetStatus.Success, 0, "ok", 2), (found!.Status, found.ExitCode, found.Stdout, found.Attempt));
        Assert.Equal(2, (await again.TargetsAsync(job.Id, default)).Count);
        Assert.Equal([1L], await db.QueryAsync($"SELECT version FROM {ProducersSchema.Schema.VersionTable}", r => r.Long(0)));
    }

    [Fact]
    public async Task a_completed_job_keeps_its_status_details_and_completion_time()
    {
        var store = new SqlJobStore(await OpenAsync(), Box);
        var job = NewJob();
        await store.CreateAsync(job, [], null, null, default);
        var done = job with { Status = AsyncJobStatus.Succeeded, ProcessStatus = "Done", Details = "{\"ok\":true}", Completed = DateTimeOffset.UtcNow };
        await store.UpdateJobAsync(done, default);

        var read = (await store.GetAsync(job.Id, default))!;
        Assert.Equal((AsyncJobStatus.Succeeded, "Done", "{\"ok\":true}"), (read.Status, read.ProcessStatus, read.Details));
        Assert.Equal(done.Completed!.Value.ToUnixTimeMilliseconds(), read.Completed!.Value.ToUnixTimeMilliseconds());
        Assert.DoesNotContain(job.Id, await store.UnfinishedJobIdsAsync(default));
    }

    [Fact]
    public async Task api_keys_find_their_account_role_and_secret_and_ensuring_them_again_changes_the_role()
    {
        var accounts = new SqlAccountStore(await OpenAsync(), Box);
        var account = "carol-" + _run;
        var keys = await accounts.CreateKeysAsync(account, Role.User, default);
        var found = await accounts.FindAsync(keys.ApiKey, default);
        Assert.Equal((new Caller(account, Role.User), keys.SecretKey), found);

        await accounts.EnsureKeysAsync(account, Role.Admin, keys, default);
        Assert.Equal(Role.Admin, (await accounts.FindAsync(keys.ApiKey, default))!.Value.Caller.Role);
        Assert.Null(await accounts.FindAsync("no-such-key-" + _run, default));
        Assert.Contains((account, Role.Admin), await accounts.ListAccountsAsync(default));
    }

    [Fact]
    public async Task a_vm_is_registered_once_moved_by_its_owner_and_refused_to_another_account()
    {
        var vms = new SqlVmInventory(await OpenAsync());
        var id = "vm-" + _run;
        var vm = new VirtualMachine(id, "r-1", "alice", "web", DateTimeOffset.UtcNow);
        Assert.True(await vms.RegisterAsync(vm, default));
        Assert.True(await vms.RegisterAsync(vm, default));
        Assert.True(await vms.RegisterAsync(vm with { RouterId = "r-2", Name = null }, default));
        Assert.False(await vms.RegisterAsync(vm with { Account = "mallory", RouterId = "r-9" }, default));

        var stored = (await vms.FindAsync(id, default))!;
        Assert.Equal(("r-2", "alice", "web"), (stored.RouterId, stored.Account, stored.Name));
        Assert.Equal([id], (await vms.ListAsync("alice", "r-2", id, default)).Select(v => v.Id));
        Assert.Contains("r-2", await vms.RouterIdsAsync(default));
    }

    [Fact]
    public async Task an_ssh_key_pair_name_is_unique_per_account_and_can_be_deleted()
    {
        var keys = new SqlSshKeyPairStore(await OpenAsync());
        var account = "dave-" + _run;
        var pair = new SshKeyPair(account, "laptop", "ssh-ed25519 AAAA dave", "aa:bb", DateTimeOffset.UtcNow);
        Assert.True(await keys.AddAsync(pair, default));
        Assert.False(await keys.AddAsync(pair with { PublicKey = "ssh-ed25519 BBBB other" }, default));
        Assert.True(await keys.AddAsync(pair with { Account = account + "-2" }, default));

        Assert.Equal("ssh-ed25519 AAAA dave", Assert.Single(await keys.ListAsync(account, null, default)).PublicKey);
        Assert.True(await keys.DeleteAsync(account, "laptop", default));
        Assert.False(await keys.DeleteAsync(account, "laptop", default));
        Assert.Empty(await keys.ListAsync(account, "laptop", default));
    }

    [Fact]
    public async Task a_late_presence_or_health_event_never_overwrites_a_newer_state()
    {
        var agents = new SqlAgentDirectory(await OpenAsync());
        var vm = "vm-" + _run;
        var router = "r-" + _run;
        var t0 = DateTimeOffset.UtcNow;
        await agents.RecordAsync(new AgentInfo(vm, router, "Connected", "1.0", "10.0.0.5", "AB", null, "exec", null, t0), default);
        await agents.RecordAsync(new AgentInfo(vm, router, "Disconnected", "1.0", null, "AB", null, null, "closed", t0.AddSeconds(5)), default);
        await agents.RecordAsync(new AgentInfo(vm, router, "Connected", "0.9", "10.0.0.9", "AB", null, null, null, t0.AddSeconds(1)), default);
        var agent = Assert.Single(await agents.ListAsync(router, vm, default));
        Assert.Equal(("Disconnected", "closed", "1.0"), (agent.State, agent.Reason, agent.AgentVersion));

        await agents.RecordAsync(new HealthCheckInfo(router, "disk", "basic", true, "ok", t0.AddSeconds(5)), default);
        await agents.RecordAsync(new HealthCheckInfo(router, "disk", "basic", false, "late", t0), default);
        await agents.RecordAsync(new HealthCheckInfo(router, "dns", "basic", false, "no answer", t0), default);
        var health = await agents.HealthAsync(router, default);
        Assert.Equal([("disk", true, "ok"), ("dns", false, "no answer")], health.Select(h => (h.CheckName, h.Success, h.Details)));
    }
}

public sealed class ProducersStoreOnSqlite(SqliteEngine engine) : ProducersStoreTests(engine), IClassFixture<SqliteEngine>;

[Collection(MariaDbFixture.Collection)]
public sealed class ProducersStoreOnMariaDb(MariaDbFixture engine) : ProducersStoreTests(engine);
