using Agents.Producers.Api;
using Agents.Storage;
using Agents.Storage.Audit;
using Microsoft.Extensions.Options;

namespace Agents.Producers.Handlers.Events;

/// <summary>
/// The audit log the consumers service writes, opened on first use (the API may start first). The
/// API and the consumers share its database: with SQLite, Producers:AuditDatabasePath names the
/// consumers' file; with MariaDB it is in the one database of Storage:ConnectionString.
/// </summary>
public sealed class AuditLog(IOptions<ProducersOptions> options, IOptions<StorageOptions> storage)
{
    private IAuditStore? _store;

    public async Task<IAuditStore> StoreAsync(CancellationToken ct)
    {
        if (_store is not null) return _store;
        var path = options.Value.AuditDatabasePath;
        if (storage.Value.Provider == StorageProvider.Sqlite && string.IsNullOrWhiteSpace(path))
            throw ApiException.Unavailable("listEvents needs the audit log: set Producers:AuditDatabasePath to the consumers service's audit database");
        // two first calls at once both open it: harmless, the migration runs under its lock
        return _store = await AuditStore.OpenAsync(storage.Value.Open(path ?? ""), ct).ConfigureAwait(false);
    }
}
