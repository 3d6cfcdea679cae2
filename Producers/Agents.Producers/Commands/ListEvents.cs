using System.Globalization;
using Agents.Producers.Api;
using Agents.Storage;
using Agents.Storage.Audit;
using Microsoft.Extensions.Options;
using Newtonsoft.Json.Linq;

namespace Agents.Producers.Commands;

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
            throw new ApiException(ApiErrorCode.ResourceUnavailable, "listEvents needs the audit log: set Producers:AuditDatabasePath to the consumers service's audit database");
        // two first calls at once both open it: harmless, the migration runs under its lock
        return _store = await AuditStore.OpenAsync(storage.Value.Open(path ?? ""), ct).ConfigureAwait(false);
    }
}

/// <summary>
/// listEvents: CloudStack's filters (id, type, level, startdate, enddate, keyword, page, pagesize)
/// plus resourcetype/resourceid. An admin sees every event; a user names one of its own VMs as resourceid.
/// </summary>
public sealed class ListEvents(AuditLog audit, VmAccess vms) : IApiCommand
{
    public string Name => "listEvents";

    public async Task<JObject> ExecuteAsync(ApiCall call, CancellationToken ct)
    {
        var resourceId = call.OptionalId("resourceid");
        if (!call.Caller.IsAdmin)
        {
            if (resourceId is null) throw ApiException.Denied("a user lists the events of one of its virtual machines: give resourceid");
            await vms.RequireAsync(call, resourceId, ct).ConfigureAwait(false);
        }
        var query = new AuditQuery
        {
            EventId = call.Optional("id"),
            Type = call.Optional("type"),
            Level = call.Optional("level"),
            Category = call.Optional("category"),
            StartDate = Date(call, "startdate"),
            EndDate = Date(call, "enddate"),
            ResourceType = call.Optional("resourcetype"),
            ResourceId = resourceId,
            Keyword = call.Optional("keyword"),
            Page = call.OptionalInt("page", 1, int.MaxValue) ?? 1,
            PageSize = call.OptionalInt("pagesize", 1, AuditQuery.MaxPageSize) ?? 500,
        };
        try { query.Validate(); }
        catch (ArgumentException e) { throw ApiException.Parameter(e.Message); }
        var page = await (await audit.StoreAsync(ct).ConfigureAwait(false)).QueryAsync(query, ct).ConfigureAwait(false);
        var response = ApiFormat.List("event", page.Items.Select(Render));
        response["count"] = page.TotalCount;
        return response;
    }

    private static JObject Render(AuditRecord e)
    {
        var o = new JObject
        {
            ["id"] = e.EventId,
            ["type"] = e.Type,
            ["level"] = e.Level,
            ["category"] = e.Category,
            ["description"] = e.Description,
            ["created"] = ApiFormat.Date(e.OccurredAt),
            ["state"] = "Completed",
        };
        if (e.ResourceType is not null) o["resourcetype"] = e.ResourceType;
        if (e.ResourceId is not null) o["resourceid"] = e.ResourceId;
        return o;
    }

    /// <summary>CloudStack's yyyy-MM-dd or yyyy-MM-dd HH:mm:ss (UTC), or ISO-8601.</summary>
    private static DateTimeOffset? Date(ApiCall call, string name)
    {
        if (call.Optional(name) is not { } value) return null;
        return DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at)
            ? at : throw ApiException.Parameter($"{name} must be yyyy-MM-dd or yyyy-MM-dd HH:mm:ss");
    }
}
