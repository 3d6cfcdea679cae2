using System.Text.Json;
using Agents.Contracts.Commands;
using Agents.VmAgent.Core.Handlers;
using Agents.VmAgent.Core.Protocol;
using CommandTypes = Agents.Contracts.Commands.CommandTypes;

namespace Agents.RouterBridge.Health;

/// <summary>getRouterHealthCheckResults with performfreshchecks: runs the checks; the outcome's stdout is the JSON array of results.</summary>
public sealed class RunHealthChecksHandler(HealthCheckRunner runner) : ICommandHandler
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public string CommandType => CommandTypes.RunHealthChecks;

    public async Task<HandlerResult> HandleAsync(CommandContext context, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(context);
        HealthCheckType? type = null;
        if (context.Command.Payload.ValueKind == JsonValueKind.Object
            && context.Command.Payload.TryGetProperty("checkType", out var requested)
            && requested.ValueKind == JsonValueKind.String)
        {
            if (!Enum.TryParse<HealthCheckType>(requested.GetString(), ignoreCase: true, out var parsed))
                throw new CommandRejectedException($"checkType '{requested.GetString()}' is not Basic or Advanced");
            type = parsed;
        }
        var results = await runner.RunAsync(type, ct).ConfigureAwait(false);
        var failed = results.Count(r => !r.Success);
        return new HandlerResult(AgentOutcome.Success, ExitCode: failed == 0 ? 0 : 1,
            Stdout: JsonSerializer.Serialize(results, Json),
            Message: $"{results.Count} checks, {failed} failed");
    }
}
