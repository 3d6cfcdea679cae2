using System.Text.Json.Nodes;
using Agents.Producers.Api;
using Agents.Producers.Jobs;

namespace Agents.Producers.Handlers.Jobs;

/// <summary>listAsyncJobs: a user's own jobs, an admin's all (or one account's), newest first.</summary>
public sealed class ListAsyncJobsHandler(IJobStore store) : IApiHandler
{
    private static readonly ApiParameter StartDate = new("startdate", ApiParameterType.Date, "The start date of the async job (use format \"yyyy-MM-dd'T'HH:mm:ss'+'SSSS\")");
    private static readonly ApiParameter Account = new("account", ApiParameterType.String, "list resources by account");

    public ApiDefinition Definition { get; } = new("listAsyncJobs", "Lists all pending asynchronous jobs for the account.")
    {
        Parameters = [StartDate, Account, .. ListParameters.AccountResources],
        ResponseObject = AsyncJobResponse.ObjectName,
        Response = AsyncJobResponse.Fields,
    };

    public async Task<JsonObject> HandleAsync(ApiCall call, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(call);
        _ = call.OptionalBool(ListParameters.ListAll);
        var page = call.Page();
        var (jobs, total) = await store.ListAsync(call.ListedAccount(Account), call.OptionalDate(StartDate), page.Keyword, page.Skip, page.PageSize, ct).ConfigureAwait(false);
        var rendered = new List<JsonObject>();
        foreach (var job in jobs) rendered.Add(JobView.Render(job, await store.TargetsAsync(job.Id, ct).ConfigureAwait(false), null));
        return ApiFormat.List(AsyncJobResponse.ObjectName, rendered, total);
    }
}
