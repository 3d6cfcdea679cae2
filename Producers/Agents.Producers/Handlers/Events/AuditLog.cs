using Agents.Audit;
using Agents.Producers.Api;
using Microsoft.Extensions.Options;

namespace Agents.Producers.Handlers.Events;

/// <summary>The audit log the consumers service keeps, opened on first use (it may be created after the API starts).</summary>
public sealed class AuditLog(IOptions<ProducersOptions> options)
{
    private readonly Lazy<IAuditStore?> _store = new(() =>
        string.IsNullOrWhiteSpace(options.Value.AuditDatabasePath) ? null : new SqliteAuditStore(options.Value.AuditDatabasePath));

    public IAuditStore Store => _store.Value
        ?? throw ApiException.Unavailable("listEvents needs the audit log: set Producers:AuditDatabasePath to the consumers service's audit database");
}
