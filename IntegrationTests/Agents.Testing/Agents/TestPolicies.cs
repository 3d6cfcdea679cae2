using Agents.VmAgent.Core.Policy;

namespace Agents.Testing;

/// <summary>Local policies for test agents: everything allowed, or that plus named recipes.</summary>
public static class TestPolicies
{
    public static AgentPolicy Everything { get; } = new(["ResetVmPassword", "ResetVmSshKey", "RunRecipe", "RekeyCertificate"], [], Privileged: true);

    public static AgentPolicy WithRecipes(params RecipePolicy[] recipes) => Everything with { Recipes = recipes };
}
