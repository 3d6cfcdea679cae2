using Agents.Contracts.Events;
using Agents.Producers.Cluster;
using Agents.Producers.Jobs;
using Agents.Producers.Storage;
using Agents.Storage;
using Agents.Testing;
using Microsoft.Extensions.Options;

namespace Agents.Producers.Tests.Storage;

/// <summary>Job ownership with a lease on every engine: two management servers on one database, one of them falls silent.</summary>
public abstract class JobLeaseStoreTests(StoreEngine engine)
{
    private static readonly SecretBox Box = new(Options.Create(new ProducersOptions { MasterKey = "unit-test-master-key-0123456789" }));
    private static readonly TimeSpan Lease = TimeSpan.FromSeconds(30);
    private readonly string _run = Guid.NewGuid().ToString("N")[..8];

    private async Task<Database> OpenAsync()
    {
        var db = await engine.DatabaseAsync(GetType().Name);
        await SchemaMigrator.MigrateAsync(db, ProducersSchema.Schema);
        return db;
    }

    private ManagementServer Server(string name) =>
        new(Options.Create(new ProducersOptions { Cluster = new ClusterOptions { ManagementServerId = $"{name}-{_run}" } }));

    private static async Task<Guid> NewJobAsync(SqlJobStore jobs, DateTimeOffset created, JobOwner? owner = null)
    {
        var id = Guid.NewGuid();
        await jobs.CreateAsync(new Job(id, "runAgentRecipe", "admin", AsyncJobStatus.Pending, "Queued", null, null, 10, 0, false, null, null, created, null),
            [JobTarget.New(id, 0, "RunRecipe", "r-1", "vm-1", "{}")], null, null, owner, default);
        return id;
    }

    [Fact]
    public async Task a_job_whose_owner_stopped_its_heartbeat_is_taken_over_once_by_one_of_two_survivors()
    {
        var db = await OpenAsync();
        var (leases, jobs) = (new SqlJobLeaseStore(db), new SqlJobStore(db, Box));
        var (a, b, c) = (Server("a"), Server("b"), Server("c"));
        var now = DateTimeOffset.UtcNow;
        var jobId = await NewJobAsync(jobs, now, new JobOwner(a.Msid, now + Lease));
        await leases.HeartbeatAsync(a, now, now + Lease, default);

        // while A beats, its job is nobody else's
        Assert.DoesNotContain(await leases.ExpiredAsync(b.Msid, now + Lease / 2, now - Lease, default), l => l.JobId == jobId);
        Assert.Equal(1, await leases.HeartbeatAsync(a, now + Lease / 2, now + Lease * 1.5, default));
        Assert.DoesNotContain(await leases.ExpiredAsync(b.Msid, now + Lease, now - Lease, default), l => l.JobId == jobId);

        // A falls silent: past its last lease, B and C both see the job and both try to take it at once
        var later = now + Lease * 2;
        var seenByB = Assert.Single(await leases.ExpiredAsync(b.Msid, later, later - Lease, default), l => l.JobId == jobId);
        var seenByC = Assert.Single(await leases.ExpiredAsync(c.Msid, later, later - Lease, default), l => l.JobId == jobId);
        Assert.Equal(a.Msid, seenByB.Owner);
        var took = await Task.WhenAll(leases.TakeAsync(seenByB, b.Msid, later + Lease, default), leases.TakeAsync(seenByC, c.Msid, later + Lease, default));
        Assert.Single(took, t => t);
        var winner = took[0] ? b : c;
        Assert.Equal(winner.Msid, await db.ScalarAsync("SELECT job_executing_msid FROM jobs WHERE id = @id", ("@id", jobId.ToString())));
        Assert.Equal(a.Msid, await db.ScalarAsync("SELECT job_init_msid FROM jobs WHERE id = @id", ("@id", jobId.ToString())));

        // the silent one is marked Down once; the winner's heartbeat now keeps the job
        Assert.True(await leases.MarkDownAsync(a.Msid, later - Lease, default));
        Assert.False(await leases.MarkDownAsync(a.Msid, later - Lease, default));
        Assert.Equal("Down", await db.ScalarAsync("SELECT state FROM mshost WHERE msid = @ms", ("@ms", a.Msid)));
        Assert.Equal(1, await leases.HeartbeatAsync(winner, later, later + Lease, default));
        Assert.DoesNotContain(await leases.ExpiredAsync(a.Msid, later + Lease / 2, later - Lease, default), l => l.JobId == jobId);
    }

    [Fact]
    public async Task an_owner_that_beats_again_before_the_takeover_keeps_its_job()
    {
        var db = await OpenAsync();
        var (leases, jobs) = (new SqlJobLeaseStore(db), new SqlJobStore(db, Box));
        var (a, b) = (Server("a"), Server("b"));
        var now = DateTimeOffset.UtcNow;
        var jobId = await NewJobAsync(jobs, now, new JobOwner(a.Msid, now + Lease));

        var later = now + Lease * 2;
        var seen = Assert.Single(await leases.ExpiredAsync(b.Msid, later, later - Lease, default), l => l.JobId == jobId);
        // A was only slow (the database away for a while): its heartbeat lands between B's look and B's take
        await leases.HeartbeatAsync(a, later, later + Lease, default);
        Assert.False(await leases.TakeAsync(seen, b.Msid, later + Lease, default));
        Assert.Equal(a.Msid, await db.ScalarAsync("SELECT job_executing_msid FROM jobs WHERE id = @id", ("@id", jobId.ToString())));
    }

    [Fact]
    public async Task a_job_nobody_owns_is_taken_once_it_is_older_than_the_lease_and_a_finished_job_never()
    {
        var db = await OpenAsync();
        var (leases, jobs) = (new SqlJobLeaseStore(db), new SqlJobStore(db, Box));
        var b = Server("b");
        var now = DateTimeOffset.UtcNow;
        // its creator died between creating it and owning it (or it predates the leases)
        var orphan = await NewJobAsync(jobs, now);
        var finished = await NewJobAsync(jobs, now);
        var done = (await jobs.GetAsync(finished, default))! with { Status = AsyncJobStatus.Succeeded, ProcessStatus = "Succeeded", Completed = now };
        Assert.True(await jobs.CompleteJobAsync(done, default));

        Assert.DoesNotContain(await leases.ExpiredAsync(b.Msid, now + Lease / 2, now + Lease / 2 - Lease, default), l => l.JobId == orphan);
        var later = now + Lease * 2;
        var expired = await leases.ExpiredAsync(b.Msid, later, later - Lease, default);
        Assert.DoesNotContain(expired, l => l.JobId == finished);
        var seen = Assert.Single(expired, l => l.JobId == orphan);
        Assert.Null(seen.Owner);
        Assert.True(await leases.TakeAsync(seen, b.Msid, later + Lease, default));
        Assert.False(await leases.TakeAsync(seen, b.Msid, later + Lease, default));
    }
}

public sealed class JobLeaseStoreOnSqlite(SqliteEngine engine) : JobLeaseStoreTests(engine), IClassFixture<SqliteEngine>;

[Collection(MariaDbFixture.Collection)]
public sealed class JobLeaseStoreOnMariaDb(MariaDbFixture engine) : JobLeaseStoreTests(engine);
