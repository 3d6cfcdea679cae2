using System.Security.Cryptography;
using Agents.Contracts.Commands;
using Agents.Contracts.Protocol;
using Agents.VmAgent.Core.Logging;
using Agents.VmAgent.Core.Recipes;

namespace Agents.VmAgent.Core.Handlers;

/// <summary>
/// Runs a recipe only when the local policy names it with the sha256 of the exact bytes that would
/// run, whether they come from the recipe directory, the built-ins or the command itself.
/// </summary>
public sealed class RunRecipeHandler(RecipeCatalog catalog, RecipeRunner runner, IReadOnlyDictionary<string, string> extraEnvironment) : ICommandHandler
{
    public const int MaxTimeoutSeconds = 6 * 3600;

    public string CommandType => CommandTypes.RunRecipe;

    public async Task<HandlerResult> HandleAsync(CommandContext context, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(context);
        var payload = PayloadReader.Read<RunRecipe>(context.Command);
        if (!RecipeCatalog.IsValidName(payload.Name)) return HandlerResult.Rejected($"'{payload.Name}' is not a valid recipe name");

        var source = payload.Script is null ? catalog.Find(payload.Name) : Delivered(payload);
        if (source is null) return HandlerResult.Rejected($"recipe '{payload.Name}' is not on this VM");

        var allowed = context.Policy.FindRecipe(payload.Name);
        if (allowed is null) return HandlerResult.Rejected($"recipe '{payload.Name}' is not in the local policy");
        if (!string.Equals(allowed.Sha256, source.Sha256, StringComparison.OrdinalIgnoreCase))
            return HandlerResult.Rejected($"recipe '{payload.Name}' has sha256 {source.Sha256}, the policy allows only {allowed.Sha256.ToLowerInvariant()}");
        if (payload.Sha256 is not null && !string.Equals(payload.Sha256, source.Sha256, StringComparison.OrdinalIgnoreCase))
            return HandlerResult.Rejected($"recipe '{payload.Name}' has sha256 {source.Sha256}, not the {payload.Sha256} the command expects");
        if (allowed.Privileged && !context.Policy.Privileged)
            return HandlerResult.Rejected($"recipe '{payload.Name}' needs root and the policy says privileged: false");

        var environment = new Dictionary<string, string>(extraEnvironment);
        foreach (var (name, value) in payload.Parameters)
        {
            if (!IsParameterName(name)) return HandlerResult.Rejected($"parameter name '{name}' is not [A-Za-z_][A-Za-z0-9_]*");
            if (value.Contains('\0', StringComparison.Ordinal)) return HandlerResult.Rejected($"parameter '{name}' contains NUL");
            environment["RECIPE_" + name] = value;
        }

        var workDirectory = Path.Combine(context.WorkDirectory, context.Command.CommandId.ToString("N"));
        Directory.CreateDirectory(workDirectory);
        var scriptPath = Path.Combine(workDirectory, "recipe" + source.Extension);
        // run the bytes that were hashed, not a path someone could swap after the check
        await File.WriteAllBytesAsync(scriptPath, source.Content, ct).ConfigureAwait(false);

        var timeout = TimeSpan.FromSeconds(Math.Clamp(payload.TimeoutSeconds, 1, MaxTimeoutSeconds));
        context.Log.Info("running recipe {Recipe} ({RecipeOrigin}, sha256 {RecipeSha256}) for command {CommandId}", payload.Name, source.Origin, source.Sha256, context.Command.CommandId);
        try
        {
            var run = await runner.RunAsync(scriptPath, source.Extension, environment, timeout, workDirectory, ct).ConfigureAwait(false);
            if (run.TimedOut)
                return new HandlerResult(CommandOutcome.Failed, null, run.Stdout, run.Stderr, $"recipe '{payload.Name}' overran its {timeout.TotalSeconds:0} s timeout; its process tree was killed");
            return new HandlerResult(run.ExitCode == 0 ? CommandOutcome.Success : CommandOutcome.Failed, run.ExitCode, run.Stdout, run.Stderr,
                run.ExitCode == 0 ? $"recipe '{payload.Name}' succeeded" : $"recipe '{payload.Name}' exited with {run.ExitCode}");
        }
        finally
        {
            TryDelete(workDirectory);
        }
    }

    private static RecipeSource Delivered(RunRecipe payload)
    {
        byte[] content;
        try { content = Convert.FromBase64String(payload.Script!); }
        catch (FormatException e) { throw new CommandRejectedException("script is not base64", e); }
        if (payload.Sha256 is null) throw new CommandRejectedException("a delivered script needs its sha256");
        var actual = Convert.ToHexStringLower(SHA256.HashData(content));
        if (!string.Equals(actual, payload.Sha256, StringComparison.OrdinalIgnoreCase))
            throw new CommandRejectedException($"delivered script has sha256 {actual}, not {payload.Sha256}");
        var extension = OperatingSystem.IsWindows() ? ".ps1" : ".sh";
        return new RecipeSource(payload.Name, extension, content, "delivered");
    }

    private static bool IsParameterName(string name) =>
        name.Length is > 0 and <= 64 && (char.IsAsciiLetter(name[0]) || name[0] == '_') && name.All(c => char.IsAsciiLetterOrDigit(c) || c == '_');

    private static void TryDelete(string directory)
    {
        try { Directory.Delete(directory, recursive: true); }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }
}
