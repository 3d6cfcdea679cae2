namespace Agents.Producers.FirstBoot;

/// <summary>A VM's first-boot recipes: Pending until its agent first comes up, then Started with the job that runs them.</summary>
public sealed record FirstBootChoice(string VmId, IReadOnlyList<string> Recipes, string State, Guid? JobId, DateTimeOffset Updated)
{
    public const string Pending = "Pending";
    public const string Started = "Started";
}
