using System.Text.Json.Nodes;
using Agents.Storage.Audit;
using Agents.Producers.Api;
using Agents.Producers.Handlers.VirtualMachines;

namespace Agents.Producers.Handlers.Events;

/// <summary>
/// listEvents: CloudStack's filters (id, type, level, startdate, enddate, keyword, page, pagesize)
/// plus resourcetype/resourceid. An admin sees every event; a user names one of its own VMs as resourceid.
/// </summary>
public sealed class ListEventsHandler(AuditLog audit, VmAccess vms) : IApiHandler
{
    private static readonly ApiParameter Id = new("id", ApiParameterType.String, "the ID of the event") { Entity = "event" };
    private static readonly ApiParameter Type = new("type", ApiParameterType.String, "the event type (see event types)");
    private static readonly ApiParameter Level = new("level", ApiParameterType.String, "the event level (INFO, WARN, ERROR)");
    private static readonly ApiParameter Category = new("category", ApiParameterType.String, "the event bus category (ActionEvent, AlertEvent, ResourceStateEvent, AsyncJobEvent)");
    private static readonly ApiParameter StartDate = new("startdate", ApiParameterType.Date, "the start date range of the list you want to retrieve (use format \"yyyy-MM-dd\" or the new format \"yyyy-MM-dd HH:mm:ss\")");
    private static readonly ApiParameter EndDate = new("enddate", ApiParameterType.Date, "the end date range of the list you want to retrieve (use format \"yyyy-MM-dd\" or the new format \"yyyy-MM-dd HH:mm:ss\")");
    private static readonly ApiParameter ResourceType = new("resourcetype", ApiParameterType.String, "Type of the resource associated with the event") { Since = "4.17.0" };
    private static readonly ApiParameter ResourceId = new("resourceid", ApiParameterType.String, "ID of the resource associated with the event") { Since = "4.17.0" };

    public ApiDefinition Definition { get; } = new("listEvents", "A command to list events.")
    {
        Parameters = [Id, Type, Level, Category, StartDate, EndDate, ResourceType, ResourceId, .. ListParameters.AccountResources],
        ResponseObject = "event",
        Response =
        [
            ApiResponseField.String("id", "the ID of the event"), ApiResponseField.String("type", "the type of the event (see event types)"),
            ApiResponseField.String("level", "the event level (INFO, WARN, ERROR)"), ApiResponseField.String("category", "the event bus category"),
            ApiResponseField.String("description", "a brief description of the event"), ApiResponseField.Date("created", "the date the event was created"),
            ApiResponseField.String("state", "the state of the event"), ApiResponseField.String("resourcetype", "the type of the resource"),
            ApiResponseField.String("resourceid", "the id of the resource"),
        ],
    };

    public async Task<JsonObject> HandleAsync(ApiCall call, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(call);
        _ = call.OptionalBool(ListParameters.ListAll);
        var resourceId = call.OptionalId(ResourceId);
        if (!call.Caller.IsAdmin)
        {
            if (resourceId is null) throw ApiException.Denied("a user lists the events of one of its virtual machines: give resourceid");
            await vms.RequireAsync(call, resourceId, ct).ConfigureAwait(false);
        }
        var page = call.Page();
        var query = new AuditQuery
        {
            EventId = call.Optional(Id),
            Type = call.Optional(Type),
            Level = call.Optional(Level),
            Category = call.Optional(Category),
            StartDate = call.OptionalDate(StartDate),
            EndDate = call.OptionalDate(EndDate),
            ResourceType = call.Optional(ResourceType),
            ResourceId = resourceId,
            Keyword = page.Keyword,
            Page = page.Page,
            // pagesize=-1 (every row) is capped at what the audit store answers in one page
            PageSize = page.PageSize ?? AuditQuery.MaxPageSize,
        };
        try { query.Validate(); }
        catch (ArgumentException e) { throw ApiException.Parameter(e.Message); }
        var result = await (await audit.StoreAsync(ct).ConfigureAwait(false)).QueryAsync(query, ct).ConfigureAwait(false);
        return ApiFormat.List("event", result.Items.Select(Render), (int)Math.Min(int.MaxValue, result.TotalCount));
    }

    private static JsonObject Render(AuditRecord e) =>
        new JsonObject
        {
            ["id"] = e.EventId,
            ["type"] = e.Type,
            ["level"] = e.Level,
            ["category"] = e.Category,
            ["description"] = e.Description,
            ["created"] = ApiFormat.Date(e.OccurredAt),
            ["state"] = "Completed",
        }.With("resourcetype", e.ResourceType).With("resourceid", e.ResourceId);
}
