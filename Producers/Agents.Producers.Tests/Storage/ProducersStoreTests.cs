using System.Text;
using Agents.Contracts.Events;
using Agents.Producers.Accounts;
using Agents.Producers.FirstBoot;
using Agents.Producers.Inventory;
using Agents.Producers.Jobs;
using Agents.Producers.Presence;
using Agents.Producers.Sessions;
using Agents.Producers.Settings;
using Agents.Producers.SshKeys;
using Agents.Producers.Storage;
using Agents.Storage;
using Agents.Testing;
using Microsoft.Extensions.Options;

namespace Agents.Producers.Tests.Storage;

/// <summary>The API's stores (jobs, accounts and users, configuration, VMs, SSH keys, agents) on every engine: one suite, a database per engine.</summary>
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
        await store.CreateAsync(job, [JobTarget.New(job.Id, 0, "ResetVmPassword", "r-1", "vm-1", "{}")], password, DateTimeOffset.UtcNow.AddMinutes(5), null, default);

        var stored = (byte[])(await db.ScalarAsync("SELECT sealed FROM job_secrets WHERE job_id = @id", ("@id", job.Id.ToString())))!;
        Assert.DoesNotContain(password, Encoding.Latin1.GetString(stored), StringComparison.Ordinal);

        // two API instances reading the job result at the same moment
        var other = new SqlJobStore(db, Box);
        var taken = await Task.WhenAll(store.TakeSecretAsync(job.Id, default), other.TakeSecretAsync(job.Id, default));
        Assert.Equal(password, Assert.Single(taken, t => t is not null));
        Assert.Null(await store.TakeSecretAsync(job.Id, default));
    }

    [Fact]
    public async Task a_password_waiting_for_its_agent_is_read_for_each_seal_and_still_handed_out_once()
    {
        var store = new SqlJobStore(await OpenAsync(), Box);
        var job = NewJob();
        const string password = "Waiting-For-Agent-1a!";
        await store.CreateAsync(job, [JobTarget.New(job.Id, 0, "ResetVmPassword", "r-1", "vm-1", "{}")], password, DateTimeOffset.UtcNow.AddMinutes(5), null, default);

        // every attempt seals it again (to the certificate the VM has then): reading it leaves it in place
        Assert.Equal(password, await store.PeekSecretAsync(job.Id, default));
        Assert.Equal(password, await store.PeekSecretAsync(job.Id, default));

        Assert.Equal(password, await store.TakeSecretAsync(job.Id, default));
        Assert.Null(await store.PeekSecretAsync(job.Id, default));
    }

    [Fact]
    public async Task an_expired_password_is_not_read_for_a_seal()
    {
        var store = new SqlJobStore(await OpenAsync(), Box);
        var job = NewJob();
        await store.CreateAsync(job, [JobTarget.New(job.Id, 0, "ResetVmPassword", "r-1", "vm-1", "{}")], "pw-expired-2B!", DateTimeOffset.UtcNow.AddSeconds(-1), null, default);

        Assert.Null(await store.PeekSecretAsync(job.Id, default));
    }

    [Fact]
    public async Task an_unread_password_is_purged_after_its_ttl()
    {
        var store = new SqlJobStore(await OpenAsync(), Box);
        var job = NewJob();
        await store.CreateAsync(job, [JobTarget.New(job.Id, 0, "ResetVmPassword", "r-1", "vm-1", "{}")], "pw-never-read-1A!", DateTimeOffset.UtcNow.AddSeconds(-1), null, default);

        Assert.True(await store.PurgeExpiredSecretsAsync(DateTimeOffset.UtcNow, default) >= 1);
        Assert.Null(await store.TakeSecretAsync(job.Id, default));
    }

    [Fact]
    public async Task the_pump_reads_counts_by_status_and_only_as_many_pending_targets_as_it_asks_for_in_order()
    {
        var store = new SqlJobStore(await OpenAsync(), Box);
        var job = NewJob();
        var targets = Enumerable.Range(0, 7).Select(i => JobTarget.New(job.Id, i, "RunRecipe", "r-1", $"vm-{i}", "{}")).ToList();
        await store.CreateAsync(job, targets, null, null, null, default);
        var now = DateTimeOffset.UtcNow;
        await store.MoveTargetsAsync([
            (targets[0], targets[0] with { Status = TargetStatus.Success, Attempt = 1, Updated = now }),
            (targets[1], targets[1] with { Status = TargetStatus.Failed, Attempt = 1, Updated = now }),
            (targets[2], targets[2] with { Status = TargetStatus.InProgress, Attempt = 1, Updated = now }),
            (targets[4], targets[4] with { Status = TargetStatus.Retrying, Attempt = 1, Updated = now }),
        ], default);

        var counts = await store.CountTargetsAsync(job.Id, default);
        Assert.Equal((7, 3, 1, 2), (counts.Total, counts.Of(TargetStatus.Pending), counts.Failures, counts.InFlight));
        Assert.False(counts.AllPending);
        Assert.False(counts.AllTerminal);
        Assert.Equal([3, 5], (await store.PendingTargetsAsync(job.Id, 2, default)).Select(t => t.Seq));
        Assert.Equal([3, 5, 6], (await store.PendingTargetsAsync(job.Id, 10, default)).Select(t => t.Seq));
        Assert.Empty(await store.PendingTargetsAsync(job.Id, 0, default));

        var other = NewJob();
        await store.CreateAsync(other, [JobTarget.New(other.Id, 0, "RunRecipe", "r-1", "vm-0", "{}")], null, null, null, default);
        Assert.True((await store.CountTargetsAsync(other.Id, default)).AllPending);
        Assert.True((await store.CountTargetsAsync(Guid.NewGuid(), default)).AllTerminal);
    }

    [Fact]
    public async Task the_schema_migration_runs_once_and_a_restart_keeps_the_jobs_and_their_targets()
    {
        var store = new SqlJobStore(await OpenAsync(), Box);
        var job = NewJob();
        var target = JobTarget.New(job.Id, 0, "ResetVmPassword", "r-1", "vm-1", "{\"x\":1}");
        await store.CreateAsync(job, [target, JobTarget.New(job.Id, 1, "ResetVmPassword", "r-1", "vm-2", "{}")], null, null, null, default);
        await store.UpdateTargetAsync(target with { Status = TargetStatus.Success, ExitCode = 0, Stdout = "ok", Attempt = 2, Updated = DateTimeOffset.UtcNow }, default);

        var db = await OpenAsync();
        var again = new SqlJobStore(db, Box);
        Assert.Equal(job.Id, (await again.GetAsync(job.Id, default))!.Id);
        Assert.Contains(job.Id, await again.UnfinishedJobIdsAsync(default));
        Assert.Equal([job.Id], (await again.ListAsync(job.Account, null, null, 0, 10, default)).Page.Select(j => j.Id));
        var found = await again.FindTargetAsync(target.CommandId, default);
        Assert.Equal((TargetStatus.Success, 0, "ok", 2), (found!.Status, found.ExitCode, found.Stdout, found.Attempt));
        Assert.Equal(2, (await again.TargetsAsync(job.Id, default)).Count);
        Assert.Equal([1L, 2L, 3L, 4L, 5L, 6L], await db.QueryAsync($"SELECT version FROM {ProducersSchema.Schema.VersionTable} ORDER BY version", r => r.Long(0)));
    }

    [Fact]
    public async Task a_completed_job_keeps_its_status_details_and_completion_time()
    {
        var store = new SqlJobStore(await OpenAsync(), Box);
        var job = NewJob();
        await store.CreateAsync(job, [], null, null, null, default);
        var done = job with { Status = AsyncJobStatus.Succeeded, ProcessStatus = "Done", Details = "{\"ok\":true}", Completed = DateTimeOffset.UtcNow };
        await store.UpdateJobAsync(done, default);

        var read = (await store.GetAsync(job.Id, default))!;
        Assert.Equal((AsyncJobStatus.Succeeded, "Done", "{\"ok\":true}"), (read.Status, read.ProcessStatus, read.Details));
        Assert.Equal(done.Completed!.Value.ToUnixTimeMilliseconds(), read.Completed!.Value.ToUnixTimeMilliseconds());
        Assert.DoesNotContain(job.Id, await store.UnfinishedJobIdsAsync(default));
    }

    [Fact]
    public async Task the_last_outcome_and_the_job_s_end_are_one_commit_and_a_second_recording_changes_nothing()
    {
        var store = new SqlJobStore(await OpenAsync(), Box);
        var job = NewJob();
        var sent = JobTarget.New(job.Id, 0, "ResetVmPassword", "r-1", "vm-1", "{}") with { Status = TargetStatus.InProgress, Attempt = 1 };
        // claimed InProgress in the creating commit, as the engine does
        await store.CreateAsync(job, [sent], null, null, null, default);
        Assert.Equal(1, (await store.CountTargetsAsync(job.Id, default)).Of(TargetStatus.InProgress));

        var succeeded = sent with { Status = TargetStatus.Success, Message = "done", Updated = DateTimeOffset.UtcNow };
        var done = job with { Status = AsyncJobStatus.Succeeded, ProcessStatus = "Succeeded", Completed = DateTimeOffset.UtcNow };
        Assert.Equal((true, true), await store.MoveLastTargetAsync(sent, succeeded, done, default));
        Assert.Equal((AsyncJobStatus.Succeeded, "Succeeded"), ((await store.GetAsync(job.Id, default))!.Status, (await store.GetAsync(job.Id, default))!.ProcessStatus));
        Assert.Equal(TargetStatus.Success, (await store.FindTargetAsync(sent.CommandId, default))!.Status);

        // the same outcome again (a redelivery, another instance): neither the target nor the job changes
        var failed = sent with { Status = TargetStatus.Failed, Message = "late" };
        Assert.Equal((false, false), await store.MoveLastTargetAsync(sent, failed, job with { Status = AsyncJobStatus.Failed, Completed = DateTimeOffset.UtcNow }, default));
        Assert.Equal(AsyncJobStatus.Succeeded, (await store.GetAsync(job.Id, default))!.Status);
        Assert.Equal("done", (await store.FindTargetAsync(sent.CommandId, default))!.Message);

        // a job completed meanwhile (cancelled elsewhere): the target moves, the job keeps its end
        var other = NewJob();
        var otherSent = JobTarget.New(other.Id, 0, "ResetVmPassword", "r-1", "vm-2", "{}") with { Status = TargetStatus.InProgress, Attempt = 1 };
        await store.CreateAsync(other, [otherSent], null, null, null, default);
        Assert.True(await store.CompleteJobAsync(other with { Status = AsyncJobStatus.Failed, ProcessStatus = "Cancelled", Completed = DateTimeOffset.UtcNow }, default));
        Assert.Equal((true, false), await store.MoveLastTargetAsync(otherSent, otherSent with { Status = TargetStatus.Success },
            other with { Status = AsyncJobStatus.Succeeded, ProcessStatus = "Succeeded", Completed = DateTimeOffset.UtcNow }, default));
        Assert.Equal("Cancelled", (await store.GetAsync(other.Id, default))!.ProcessStatus);
    }

    [Fact]
    public async Task api_keys_find_their_account_role_and_secret_and_ensuring_them_again_changes_the_role()
    {
        var accounts = new SqlAccountStore(await OpenAsync(), Box, TimeProvider.System);
        var account = "carol-" + _run;
        var keys = await accounts.CreateKeysAsync(account, Role.User, default);
        var found = await accounts.FindAsync(keys.ApiKey, default);
        Assert.Equal((account, Role.User, account, keys.SecretKey), (found!.Value.Caller.Account, found.Value.Caller.Role, found.Value.Caller.UserName, found.Value.SecretKey));

        await accounts.EnsureKeysAsync(account, Role.Admin, keys, default);
        Assert.Equal(Role.Admin, (await accounts.FindAsync(keys.ApiKey, default))!.Value.Caller.Role);
        Assert.Null(await accounts.FindAsync("no-such-key-" + _run, default));
        Assert.Contains((account, Role.Admin), (await accounts.ListAccountsAsync(default)).Select(a => (a.Name, a.Role)));
    }

    [Fact]
    public async Task jobs_are_counted_and_paged_newest_first_and_found_by_a_word_of_their_command()
    {
        var store = new SqlJobStore(await OpenAsync(), Box);
        var account = "erin-" + _run;
        var t0 = DateTimeOffset.UtcNow;
        for (var i = 0; i < 5; i++)
            await store.CreateAsync(NewJob() with { Account = account, Command = i % 2 == 0 ? "resetPasswordForVirtualMachine" : "resetSSHKeyForVirtualMachine", Created = t0.AddSeconds(i) },
                [], null, null, null, default);

        var (page, total) = await store.ListAsync(account, null, null, 1, 2, default);
        Assert.Equal(5, total);
        Assert.Equal([t0.AddSeconds(3).ToUnixTimeMilliseconds(), t0.AddSeconds(2).ToUnixTimeMilliseconds()], page.Select(j => j.Created.ToUnixTimeMilliseconds()));
        var (ssh, sshTotal) = await store.ListAsync(account, null, "SSHKEY", 0, null, default);
        Assert.Equal((2, 2), (sshTotal, ssh.Count));
        Assert.Equal(5, (await store.ListAsync(account, null, null, 0, null, default)).Page.Count);
    }

    [Fact]
    public async Task an_account_with_its_first_user_then_more_users_a_taken_name_refused_and_a_changed_password()
    {
        var accounts = new SqlAccountStore(await OpenAsync(), Box, TimeProvider.System);
        var account = "fran-" + _run;
        Assert.True(await accounts.CreateAccountAsync(account, Role.User, new NewUser(account + "-admin", "hash-1", "Fran", null, null), default));
        Assert.False(await accounts.CreateAccountAsync(account, Role.Admin, new NewUser(account + "-other", "h", null, null, null), default));

        var second = (await accounts.CreateUserAsync(account, new NewUser(account + "-ops", "hash-0", null, "Ops", "ops@example.org"), default))!;
        Assert.Equal((account, Role.User, "Ops", "enabled"), (second.Account, second.Role, second.LastName, second.State));
        Assert.Null(await accounts.CreateUserAsync("no-such-" + _run, new NewUser("x-" + _run, "h", null, null, null), default));
        await Assert.ThrowsAsync<InvalidOperationException>(() => accounts.CreateUserAsync(account, new NewUser(account + "-ops", "h", null, null, null), default));
        await Assert.ThrowsAsync<InvalidOperationException>(() => accounts.UpdateUserAsync(second.Id, new UserUpdate(account + "-admin", null, null, null, null), default));

        var changed = await accounts.UpdateUserAsync(second.Id, new UserUpdate(null, "hash-2", null, null, null), default);
        Assert.Equal("ops@example.org", changed!.Email);
        var login = (await accounts.FindLoginAsync(account + "-ops", default))!.Value;
        Assert.Equal((second.Id, "hash-2"), (login.User.Id, login.PasswordHash));
        Assert.Equal(2, (await accounts.ListUsersAsync(default)).Count(u => u.Account == account));
        Assert.Single(await accounts.ListAccountsAsync(default), a => a.Name == account && a.Id.Length > 0);
    }

    [Fact]
    public async Task a_user_s_new_key_pair_replaces_the_old_one_and_is_shown_again()
    {
        var accounts = new SqlAccountStore(await OpenAsync(), Box, TimeProvider.System);
        var account = "gus-" + _run;
        var first = await accounts.CreateKeysAsync(account, Role.User, default);
        var userId = (await accounts.FindAsync(first.ApiKey, default))!.Value.Caller.UserId!;

        var second = await accounts.CreateKeysForUserAsync(userId, default);
        Assert.Null(await accounts.FindAsync(first.ApiKey, default));
        Assert.Equal(second.SecretKey, (await accounts.FindAsync(second.ApiKey, default))!.Value.SecretKey);
        Assert.Equal(second, await accounts.GetKeysAsync(userId, default));
        // the account's keys stay with its first user (no second user appears)
        Assert.Equal(userId, (await accounts.FindAsync((await accounts.CreateKeysAsync(account, Role.User, default)).ApiKey, default))!.Value.Caller.UserId);
        Assert.Single(await accounts.ListUsersAsync(default), u => u.Account == account);
    }

    [Fact]
    public async Task accounts_and_keys_of_schema_version_1_get_ids_and_first_users_at_version_2()
    {
        var db = await engine.DatabaseAsync("upgrade" + _run);
        await SchemaMigrator.MigrateAsync(db, ProducersSchema.Schema, upTo: 1);
        const string hash = "ABCDEF0123";
        await db.ExecuteAsync("INSERT INTO accounts(name, role, created) VALUES ('old', 'Admin', '2026-11-01T10:00:00.0000000+00:00')");
        await db.ExecuteAsync("INSERT INTO api_keys(api_key_hash, account, secret_sealed, created) VALUES (@h, 'old', @s, '2026-11-01T10:00:00.0000000+00:00')",
            ("@h", hash), ("@s", Box.Seal("old-secret", "api-secret/" + hash)));

        await SchemaMigrator.MigrateAsync(db, ProducersSchema.Schema);

        var accounts = new SqlAccountStore(db, Box, TimeProvider.System);
        var user = Assert.Single(await accounts.ListUsersAsync(default));
        Assert.Equal(("old", "old", Role.Admin), (user.Username, user.Account, user.Role));
        Assert.Equal([user.Id], await db.QueryAsync("SELECT user_id FROM api_keys", r => r.GetString(0)));
        Assert.Equal(36, Assert.Single(await accounts.ListAccountsAsync(default)).Id.Length);
    }

    [Fact]
    public async Task a_configuration_value_is_stored_then_replaced_with_who_changed_it()
    {
        var db = await OpenAsync();
        var settings = new SqlSettingsStore(db);
        var name = "agents.test." + _run;
        await settings.SetAsync(name, "3", "admin", DateTimeOffset.UtcNow, default);
        await settings.SetAsync(name, "5", "root", DateTimeOffset.UtcNow, default);
        Assert.Equal("5", (await settings.AllAsync(default))[name]);
        Assert.Equal(["root"], await db.QueryAsync("SELECT updated_by FROM configuration WHERE name = @n", r => r.GetString(0), ("@n", name)));
    }

    [Fact]
    public async Task first_boot_recipes_change_while_pending_are_claimed_once_and_then_stay_as_they_were()
    {
        var store = new SqlFirstBootStore(await OpenAsync());
        var vm = "vm-fb-" + _run;
        Assert.True(await store.SetAsync(vm, ["monitoring"], DateTimeOffset.UtcNow, default));
        Assert.True(await store.SetAsync(vm, ["monitoring", "backup"], DateTimeOffset.UtcNow, default));
        var claimed = await store.ClaimAsync(vm, DateTimeOffset.UtcNow, default);
        Assert.Equal(["monitoring", "backup"], claimed?.Recipes);
        Assert.Null(await store.ClaimAsync(vm, DateTimeOffset.UtcNow, default));
        Assert.False(await store.SetAsync(vm, ["other"], DateTimeOffset.UtcNow, default));
        Assert.Equal(["monitoring", "backup"], (await store.FindAsync(vm, default))?.Recipes);
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
    public async Task a_system_vm_is_listed_apart_from_user_vms_and_keeps_its_kind()
    {
        var vms = new SqlVmInventory(await OpenAsync());
        var ssvm = new VirtualMachine("s-" + _run, "r-1", SystemVmTypes.SystemAccount, "s-1-VM", DateTimeOffset.UtcNow, SystemVmTypes.SecondaryStorageVm);
        var cpvm = ssvm with { Id = "v-" + _run, Name = "v-2-VM", SystemVmType = SystemVmTypes.ConsoleProxy };
        var user = new VirtualMachine("u-" + _run, "r-1", "alice", "web", DateTimeOffset.UtcNow);
        Assert.True(await vms.RegisterAsync(ssvm, default));
        Assert.True(await vms.RegisterAsync(cpvm, default));
        Assert.True(await vms.RegisterAsync(user, default));

        // moved to another bridge as the same kind; never turned into the other kind or type
        Assert.True(await vms.RegisterAsync(ssvm with { RouterId = "r-2" }, default));
        Assert.False(await vms.RegisterAsync(ssvm with { SystemVmType = SystemVmTypes.ConsoleProxy }, default));
        Assert.False(await vms.RegisterAsync(ssvm with { SystemVmType = null }, default));
        Assert.False(await vms.RegisterAsync(user with { Account = SystemVmTypes.SystemAccount, SystemVmType = SystemVmTypes.ConsoleProxy }, default));

        Assert.Equal(("r-2", SystemVmTypes.SecondaryStorageVm), ((await vms.FindAsync(ssvm.Id, default))!.RouterId, (await vms.FindAsync(ssvm.Id, default))!.SystemVmType));
        Assert.Equal([ssvm.Id], (await vms.ListSystemVmsAsync(SystemVmTypes.SecondaryStorageVm, ssvm.Id, default)).Select(v => v.Id));
        Assert.Equal([cpvm.Id], (await vms.ListSystemVmsAsync(SystemVmTypes.ConsoleProxy, cpvm.Id, default)).Select(v => v.Id));
        Assert.Empty(await vms.ListSystemVmsAsync(null, user.Id, default));
        Assert.Empty(await vms.ListAsync(null, null, ssvm.Id, default));
        Assert.Null((await vms.FindAsync(user.Id, default))!.SystemVmType);
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

    [Fact]
    public async Task a_session_unused_for_the_idle_timeout_is_over_while_one_in_use_lives_on()
    {
        var clock = new ManualClock(DateTimeOffset.UtcNow);
        var options = Options.Create(new ProducersOptions { Sessions = { IdleTimeoutMinutes = 30 } });
        var sessions = new SessionStore(await OpenAsync(), options, clock);
        var idle = await sessions.CreateAsync(new Caller("alice-" + _run, Role.User), default);
        var busy = await sessions.CreateAsync(new Caller("bob-" + _run, Role.User), default);

        // bob calls every 20 minutes, alice not at all
        for (var i = 0; i < 3; i++)
        {
            clock.Advance(TimeSpan.FromMinutes(20));
            Assert.NotNull(await sessions.FindAsync($"{busy.Id}.{SessionStore.Node}", default));
        }
        Assert.Null(await sessions.FindAsync($"{idle.Id}.{SessionStore.Node}", default));
        // gone for good, not only refused: turning the clock back does not bring it back
        clock.Advance(TimeSpan.FromMinutes(-59));
        Assert.Null(await sessions.FindAsync($"{idle.Id}.{SessionStore.Node}", default));
        Assert.NotNull(await sessions.FindAsync($"{busy.Id}.{SessionStore.Node}", default));
    }

    /// <summary>A clock the test moves.</summary>
    private sealed class ManualClock(DateTimeOffset now) : TimeProvider
    {
        public void Advance(TimeSpan by) => now += by;

        public override DateTimeOffset GetUtcNow() => now;
    }
}

public sealed class ProducersStoreOnSqlite(SqliteEngine engine) : ProducersStoreTests(engine), IClassFixture<SqliteEngine>;

[Collection(MariaDbFixture.Collection)]
public sealed class ProducersStoreOnMariaDb(MariaDbFixture engine) : ProducersStoreTests(engine);
