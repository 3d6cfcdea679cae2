using System.Text.Json.Nodes;
using Agents.Producers.Api;
using Agents.Producers.FirstBoot;

namespace Agents.Producers.Handlers.VirtualMachines;

/// <summary>A VM's first-boot recipes as updateVMFirstBootRecipes and listVMFirstBootRecipes answer them.</summary>
public static class FirstBootResponse
{
    public const string ObjectName = "vmfirstbootrecipes";

    public static IReadOnlyList<ApiResponseField> Fields { get; } =
    [
        ApiResponseField.String("virtualmachineid", "the VM"),
        ApiResponseField.String("recipenames", "the recipes its agent runs once, when it first comes up (comma-separated)"),
        ApiResponseField.String("state", "Pending until the agent first comes up, then Started"),
        ApiResponseField.String("jobid", "the runAgentRecipe job that ran them"),
        ApiResponseField.Date("updated", "when the choice last changed"),
    ];

    public static JsonObject Render(FirstBootChoice choice)
    {
        ArgumentNullException.ThrowIfNull(choice);
        var o = new JsonObject
        {
            ["virtualmachineid"] = choice.VmId,
            ["recipenames"] = string.Join(',', choice.Recipes),
            ["state"] = choice.State,
            ["updated"] = ApiFormat.Date(choice.Updated),
        };
        if (choice.JobId is { } job) o["jobid"] = job.ToString();
        return o;
    }
}
