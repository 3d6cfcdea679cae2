using Agents.CaAuthority.Store;
using Agents.Storage;
using Agents.Testing;

namespace Agents.CaAuthority.Tests.Storage;

/// <summary>
/// The CA inventory on every engine: the group commit (many adds at once, each committed or
/// refused on its own), tokens, revocation and the CRL number. Two stores on one database stand
/// for two CA instances.
/// </summary>
public abstract class CaStoreTests(StoreEngine engine)
{
    private readonly string _run = Guid.NewGuid().ToString("N")[..6].ToUpperInvariant();

    private async Task<SqlCaStore> OpenAsync() => await SqlCaStore.OpenAsync(await engine.DatabaseAsync(GetType().Name));

    [Fact]
    public async Task concurrent_adds_are_all_committed_and_one_refused_add_fails_alone()
    {
        var store = await OpenAsync();
        var token = new EnrollmentTokenRecord("token-" + _run, "urn:cloudstack:vm:x", null, DateTimeOffset.UtcNow.AddHours(1), null);
        await store.AddTokenAsync(token);

        // 200 adds at once; two of them spend the same one-time token: exactly one of those may win
        var adds = Enumerable.Range(0, 200)
            .Select(i => Task.Run(() => store.AddAsync(Record(i), tokenHash: i is 50 or 150 ? token.Hash : null)))
            .ToList();
        var outcomes = await Task.WhenAll(adds.Select(async a =>
        {
            try { await a; return null; }
            catch (CaRequestException e) { return e; }
        }));

        var refused = Assert.Single(outcomes.OfType<CaRequestException>());
        Assert.Contains("used meanwhile", refused.Message, StringComparison.Ordinal);
        Assert.NotNull((await store.FindTokenAsync(token.Hash))!.UsedAt);
        // a new store on the same database (a restart) finds every add that returned, and only those
        var reopened = await OpenAsync();
        for (var i = 0; i < 200; i++)
            Assert.Equal(outcomes[i] is null, await reopened.FindAsync(Record(i).SerialNumber) is not null);
    }

    [Fact]
    public async Task two_instances_spending_one_token_at_once_issue_one_certificate()
    {
        var (a, b) = (await OpenAsync(), await OpenAsync());
        var token = new EnrollmentTokenRecord("twice-" + _run, "urn:cloudstack:vm:y", null, DateTimeOffset.UtcNow.AddHours(1), null);
        await a.AddTokenAsync(token);
        var outcomes = await Task.WhenAll(
            Outcome(a.AddAsync(Record(300), tokenHash: token.Hash)), Outcome(b.AddAsync(Record(301), tokenHash: token.Hash)));
        Assert.Single(outcomes, o => o is null);
        Assert.Single(outcomes, o => o is CaRequestException);
    }

    [Fact]
    public async Task a_duplicate_serial_is_refused_and_the_first_certificate_stays()
    {
        var store = await OpenAsync();
        await store.AddAsync(Record(400));
        await Assert.ThrowsAnyAsync<System.Data.Common.DbException>(() => store.AddAsync(Record(400) with { Subject = "CN=other" }));
        Assert.Equal("CN=vm-400", (await store.FindAsync(Record(400).SerialNumber))!.Subject);
    }

    [Fact]
    public async Task revocation_is_idempotent_and_a_renewal_supersedes_the_holders_old_certificate()
    {
        var store = await OpenAsync();
        var old = Record(500) with { Holder = $"urn:cloudstack:vm:{_run}-r" };
        await store.AddAsync(old);
        var renewed = Record(501) with { Holder = old.Holder, NotAfter = old.NotAfter.AddDays(1) };
        await store.AddAsync(renewed, supersedes: [old.SerialNumber]);

        Assert.Equal(CertificateStatus.Superseded, (await store.FindAsync(old.SerialNumber))!.Status);
        Assert.Equal(renewed.SerialNumber, (await store.CurrentForHolderAsync(old.Holder))!.SerialNumber);
        Assert.True(await store.RevokeAsync(renewed.SerialNumber.ToLowerInvariant(), DateTimeOffset.UtcNow, "keyCompromise"));
        Assert.False(await store.RevokeAsync(renewed.SerialNumber, DateTimeOffset.UtcNow, "again"));
        var revoked = Assert.Single(await store.RevokedAsync(), c => c.SerialNumber == renewed.SerialNumber);
        Assert.Equal("keyCompromise", revoked.RevocationReason);
        Assert.Null(await store.CurrentForHolderAsync(old.Holder));
        Assert.Empty(await store.ValidForHolderAsync(old.Holder));
    }

    [Fact]
    public async Task crl_numbers_only_grow_and_two_instances_never_get_the_same_one()
    {
        var (a, b) = (await OpenAsync(), await OpenAsync());
        var numbers = await Task.WhenAll(Enumerable.Range(0, 40).Select(i => (i % 2 == 0 ? a : b).NextCrlNumberAsync()));
        Assert.Equal(40, numbers.Distinct().Count());
        var next = await a.NextCrlNumberAsync();
        Assert.True(next > numbers.Max(), $"{next} after {numbers.Max()}");
    }

    [Fact]
    public async Task expiring_certificates_are_found_and_their_alert_and_renewal_marks_kept()
    {
        var store = await OpenAsync();
        var soon = Record(600) with { NotAfter = DateTimeOffset.UtcNow.AddMinutes(-30).AddYears(-50) };
        await store.AddAsync(soon);
        var at = DateTimeOffset.UtcNow;
        Assert.True(await store.MarkExpiryAlertAsync(soon.SerialNumber, null, at));
        Assert.True(await store.MarkRenewalRequestedAsync(soon.SerialNumber, null, at));
        // a second scanner that read the old (empty) marks loses: one alert, one renewal request
        Assert.False(await store.MarkExpiryAlertAsync(soon.SerialNumber, null, at.AddSeconds(1)));
        Assert.False(await store.MarkRenewalRequestedAsync(soon.SerialNumber, null, at.AddSeconds(1)));

        var found = Assert.Single(await store.ExpiringAsync(DateTimeOffset.UtcNow.AddYears(-49)), c => c.SerialNumber == soon.SerialNumber);
        Assert.Equal(at.ToUnixTimeMilliseconds(), found.LastExpiryAlertAt!.Value.ToUnixTimeMilliseconds());
        Assert.Equal(at.ToUnixTimeMilliseconds(), found.RenewalRequestedAt!.Value.ToUnixTimeMilliseconds());
        Assert.True(await store.MarkExpiryAlertAsync(soon.SerialNumber, found.LastExpiryAlertAt, null));
        Assert.Null((await store.FindAsync(soon.SerialNumber))!.LastExpiryAlertAt);
    }

    private static async Task<Exception?> Outcome(Task add)
    {
        try { await add; return null; }
        catch (CaRequestException e) { return e; }
    }

    private CertificateRecord Record(int i) => new()
    {
        SerialNumber = $"4{_run}{i:X25}",
        Subject = $"CN=vm-{i}",
        SubjectAlternativeNames = $"URI:urn:cloudstack:vm:{i}",
        Holder = $"urn:cloudstack:vm:{_run}-{i}",
        NotBefore = DateTimeOffset.UtcNow,
        NotAfter = DateTimeOffset.UtcNow.AddDays(90),
        Pem = "-----BEGIN CERTIFICATE-----\n-----END CERTIFICATE-----",
    };
}

public sealed class CaStoreOnSqlite(SqliteEngine engine) : CaStoreTests(engine), IClassFixture<SqliteEngine>;

[Collection(MariaDbFixture.Collection)]
public sealed class CaStoreOnMariaDb(MariaDbFixture engine) : CaStoreTests(engine);
