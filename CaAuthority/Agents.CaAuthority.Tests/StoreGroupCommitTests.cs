using Agents.CaAuthority.Store;

namespace Agents.CaAuthority.Tests;

/// <summary>The inventory's group commit, on a real SQLite file: many adds at once, each committed or refused on its own.</summary>
public sealed class StoreGroupCommitTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("agents-ca-store-").FullName;

    [Fact]
    public async Task concurrent_adds_are_all_committed_and_one_refused_add_fails_alone()
    {
        var store = new SqliteCaStore(Path.Combine(_directory, "ca.db"));
        var token = new EnrollmentTokenRecord("token-hash", "urn:cloudstack:vm:x", null, DateTimeOffset.UtcNow.AddHours(1), null);
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
        // a new store on the same file (a restart) finds every add that returned, and only those
        var reopened = new SqliteCaStore(Path.Combine(_directory, "ca.db"));
        Assert.Equal(199, await reopened.CountAsync());
        for (var i = 0; i < 200; i++)
            Assert.Equal(outcomes[i] is null, await reopened.FindAsync(Record(i).SerialNumber) is not null);
    }

    private static CertificateRecord Record(int i) => new()
    {
        SerialNumber = $"4{i:X31}",
        Subject = $"CN=vm-{i}",
        SubjectAlternativeNames = $"URI:urn:cloudstack:vm:{i}",
        Holder = $"urn:cloudstack:vm:{i}",
        NotBefore = DateTimeOffset.UtcNow,
        NotAfter = DateTimeOffset.UtcNow.AddDays(90),
        Pem = "-----BEGIN CERTIFICATE-----\n-----END CERTIFICATE-----",
    };

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }
}
