using Agents.Producers.Api;

namespace Agents.Producers.Handlers.Recipes;

/// <summary>The result of a fan-out job (runAgentRecipe, patchSystemVm), as queryAsyncJobResult shows it.</summary>
public static class AgentJobResponse
{
    public const string ObjectName = "agentjob";

    public static IReadOnlyList<ApiResponseField> Fields { get; } =
    [
        ApiResponseField.Integer("total", "targets of the job"),
        ApiResponseField.Integer("maxconcurrency", "targets running at once"),
        ApiResponseField.Integer("maxerrors", "failed targets tolerated"),
        ApiResponseField.String("recipe", "the recipe's name"),
        ApiResponseField.List("targets", "every target's status and output",
            ApiResponseField.String("routerid", "the router"), ApiResponseField.String("virtualmachineid", "the VM (none for a router itself)"),
            ApiResponseField.String("status", "Pending, InProgress, Success, Failed, Rejected, DeliveryTimedOut, ExecutionTimedOut or Cancelled"),
            ApiResponseField.Integer("attempt", "delivery attempts"), ApiResponseField.Integer("exitcode", "the recipe's exit code"),
            ApiResponseField.String("stdout", "its output"), ApiResponseField.String("stderr", "its error output"), ApiResponseField.String("message", "why it ended so")),
    ];
}
