using System.Diagnostics;
using System.Text;
using System.Text.Json;
using Agents.Contracts;
using Agents.Contracts.Commands;
using Agents.Contracts.Protocol;
using Agents.VmAgent.Core.Handlers;
using Agents.VmAgent.Core.Journal;
using Agents.VmAgent.Core.Logging;
using Agents.VmAgent.Core.Policy;

namespace Agents.Bench.Pipeline;

/// <summary>
/// The baseline of issue 20's executor goal ("2x today's figure"): the agent's executor as it was before the
/// append-only journal (<c>dc8a5f3^</c>), kept here so both are measured in the same run. One file per command
/// id: a <c>.started</c> file before the handler and a <c>.result.json</c> after it, each written with
/// <see cref="DurableFile"/> (temp file, fsync, rename) on the command's own thread, no fsync shared.
/// </summary>
public sealed class FilePerCommandExecutor(ICommandHandler handler, AgentPolicy policy, string journalDirectory, string workDirectory)
{
    public async Task<ResultFrame> ExecuteAsync(CommandFrame command, CancellationToken ct)
    {
        await Task.Yield();
        var resultPath = Path.Combine(journalDirectory, $"{command.CommandId:N}.result.json");
        var startedPath = Path.Combine(journalDirectory, $"{command.CommandId:N}.started");
        if (File.Exists(resultPath))
            return JsonSerializer.Deserialize(File.ReadAllBytes(resultPath), AgentJson.TypeInfo<ResultFrame>())!;
        if (File.Exists(startedPath))
            return Record(resultPath, new ResultFrame(command.CommandId, CommandOutcome.Failed, Message: "the agent stopped while this command ran"));
        if (command.Type != handler.CommandType || !policy.Allows(command.Type))
            return Record(resultPath, new ResultFrame(command.CommandId, CommandOutcome.Rejected, Message: $"'{command.Type}' is not allowed"));
        DurableFile.Write(startedPath, Encoding.UTF8.GetBytes(DateTimeOffset.UtcNow.ToString("O")));
        var stopwatch = Stopwatch.StartNew();
        var result = await handler.HandleAsync(new CommandContext(command, policy, NullAgentLog.Instance, workDirectory), ct).ConfigureAwait(false);
        return Record(resultPath, new ResultFrame(command.CommandId, result.Outcome, result.ExitCode, result.Stdout, result.Stderr, result.Message, stopwatch.ElapsedMilliseconds));
    }

    private static ResultFrame Record(string path, ResultFrame result)
    {
        DurableFile.Write(path, JsonSerializer.SerializeToUtf8Bytes(result, AgentJson.TypeInfo<ResultFrame>()));
        return result;
    }
}
