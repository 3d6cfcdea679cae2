using Agents.Producers.Api;

namespace Agents.Producers.Handlers.Jobs;

/// <summary>CloudStack's AsyncJobResponse fields, as <see cref="Producers.Jobs.JobView"/> renders a job.</summary>
public static class AsyncJobResponse
{
    public const string ObjectName = "asyncjobs";

    public static IReadOnlyList<ApiResponseField> Fields { get; } =
    [
        ApiResponseField.String("jobid", "the ID of the async job"),
        ApiResponseField.String("account", "the account that executed the async command"),
        ApiResponseField.String("cmd", "the async command executed"),
        ApiResponseField.Integer("jobstatus", "the current job status-should be 0 for PENDING"),
        ApiResponseField.Integer("jobprocstatus", "the progress information of the PENDING job"),
        ApiResponseField.Integer("jobresultcode", "the result code for the job"),
        ApiResponseField.String("jobresulttype", "the result type"),
        ApiResponseField.Object("jobresult", "the result reason"),
        ApiResponseField.String("jobinstancetype", "the instance/entity object related to the job"),
        ApiResponseField.String("jobinstanceid", "the unique ID of the instance/entity object related to the job"),
        ApiResponseField.Date("created", "the created date of the job"),
        ApiResponseField.Date("completed", "the completed date of the job"),
    ];
}
