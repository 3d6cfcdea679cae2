using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Agents.Contracts;
using Agents.Contracts.Commands;
using Agents.Contracts.Protocol;
using Agents.VmAgent.Core.Handlers;
using Agents.VmAgent.Core.Journal;
using Agents.VmAgent.Core.Os;
using Agents.VmAgent.Core.Policy;
using Agents.VmAgent.Core.Recipes;

namespace Agents.VmAgent.Tests.Support;

/// <summary>The command executor with the real handlers over a sandbox, without any network.</summary>
public sealed class ExecutorFixture : IDisposable
{
    private readonly TempDirectory _temp = new();

    public ExecutorFixture()
    {
        Sandbox = new SandboxGuestOs(_temp.Sub("sandbox"));
        RecipeDirectory = _temp.Sub("recipes");
    }

    public SandboxGuestOs Sandbox { get; }
    public string RecipeDirectory { get; }
    public string Root => _temp.Path;
    public TestLog Log { get; } = new("executor");

    public string AddRecipe(string name, string script)
    {
        var bytes = Encoding.UTF8.GetBytes(script.ReplaceLineEndings("\n"));
        File.WriteAllBytes(Path.Combine(RecipeDirectory, name + ".sh"), bytes);
        return Convert.ToHexStringLower(SHA256.HashData(bytes));
    }

    /// <summary>A new executor on the same journal directory: what a restarted agent would build.</summary>
    public CommandExecutor Executor(AgentPolicy policy, IAgentKeys? keys = null) =>
        new([
                new ResetPasswordHandler(Sandbox, keys ?? new NoKeys()),
                new ResetSshKeyHandler(Sandbox),
                new RunRecipeHandler(new RecipeCatalog(RecipeDirectory), new RecipeRunner(), Sandbox.RecipeEnvironment),
            ],
            new CommandJournal(Path.Combine(Root, "journal")), policy, Log, Directory.CreateDirectory(Path.Combine(Root, "work")).FullName);

    public static CommandFrame Command(string type, string payloadJson, Guid? id = null) =>
        new(id ?? Guid.NewGuid(), Guid.NewGuid(), type, JsonDocument.Parse(payloadJson).RootElement.Clone(), 60);

    public static CommandFrame Recipe(string name, IReadOnlyDictionary<string, string>? parameters = null, int timeoutSeconds = 30, Guid? id = null, string? sha256 = null) =>
        Command(CommandTypes.RunRecipe, AgentJson.Serialize(new RunRecipe { Name = name, Sha256 = sha256, Parameters = parameters ?? new Dictionary<string, string>(), TimeoutSeconds = timeoutSeconds }), id);

    public void Dispose() => _temp.Dispose();

    private sealed class NoKeys : IAgentKeys
    {
        public ECDsa? KeyFor(string certificateSerial) => null;
    }
}
