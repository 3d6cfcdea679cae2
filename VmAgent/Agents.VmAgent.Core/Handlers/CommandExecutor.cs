using System.Collections.Concurrent;
using System.Diagnostics;
using Agents.Contracts.Commands;
using Agents.Contracts.Protocol;
using Agents.VmAgent.Core.Journal;
using Agents.VmAgent.Core.Logging;
using Agents.VmAgent.Core.Policy;

namespace Agents.VmAgent.Core.Handlers;

/// <summary>
/// The one way a command runs: journal first (a known id returns its stored result), then the local
/// policy, then the handler. The result is on disk before it is returned, so it survives a restart.
/// </summary>
public sealed class CommandExecutor
{
    private readonly IReadOnlyDictionary<string, ICommandHandler> _handlers;
    private readonly ConcurrentDictionary<Guid, Lazy<Task<ResultFrame>>> _running = new();
    private readonly CommandJournal _journal;
    private readonly AgentPolicy _policy;
    private readonly IAgentLog _log;
    private readonly string _workDirectory;

    public CommandExecutor(IEnumerable<ICommandHandler> handlers, CommandJournal journal, AgentPolicy policy, IAgentLog log, string workDirectory)
    {
        _handlers = handlers.ToDictionary(h => h.CommandType, StringComparer.Ordinal);
        _journal = journal;
        _policy = policy;
        _log = log;
        _workDirectory = workDirectory;
    }

    /// <summary>The command types this agent will run: handled here and allowed by the policy (the hello's capabilities).</summary>
    public IReadOnlyList<string> Capabilities => _handlers.Keys.Where(_policy.Allows).Order(StringComparer.Ordinal).ToList();

    public Task<ResultFrame> ExecuteAsync(CommandFrame command, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(command);
        // a redelivery while the first delivery still runs joins it instead of running twice
        var lazy = _running.GetOrAdd(command.CommandId, _ => new Lazy<Task<ResultFrame>>(() => RunOnceAsync(command, ct)));
        return lazy.Value;
    }

    private async Task<ResultFrame> RunOnceAsync(CommandFrame command, CancellationToken ct)
    {
        var log = _log.WithTrace(command.TraceId);
        try
        {
            await Task.Yield();
            if (_journal.Find(command.CommandId) is { } stored)
            {
                log.Info("command {CommandId} (job {JobId}) was already processed: returning its stored {Outcome} result", command.CommandId, command.JobId, stored.Outcome);
                return stored;
            }
            if (_journal.WasStarted(command.CommandId))
                return await RecordAsync(new ResultFrame(command.CommandId, CommandOutcome.Failed,
                    Message: "the agent stopped while this command ran; it is not run a second time")).ConfigureAwait(false);

            var refusal = Refusal(command);
            if (refusal is not null)
            {
                log.Warn("command {CommandId} (job {JobId}, {CommandType}) rejected: {Reason}", command.CommandId, command.JobId, command.Type, refusal);
                return await RecordAsync(new ResultFrame(command.CommandId, CommandOutcome.Rejected, Message: refusal)).ConfigureAwait(false);
            }

            await _journal.MarkStartedAsync(command.CommandId).ConfigureAwait(false);
            var stopwatch = Stopwatch.StartNew();
            var result = await RunHandlerAsync(command, log, ct).ConfigureAwait(false);
            return await RecordAsync(new ResultFrame(command.CommandId, result.Outcome, result.ExitCode, result.Stdout, result.Stderr, result.Message, stopwatch.ElapsedMilliseconds)).ConfigureAwait(false);
        }
        finally
        {
            _running.TryRemove(command.CommandId, out _);
        }
    }

    private string? Refusal(CommandFrame command)
    {
        if (!_handlers.ContainsKey(command.Type)) return $"this agent has no handler for '{command.Type}'";
        if (!_policy.Allows(command.Type)) return $"the local policy does not allow '{command.Type}'";
        return null;
    }

    private async Task<HandlerResult> RunHandlerAsync(CommandFrame command, IAgentLog log, CancellationToken ct)
    {
        var handler = _handlers[command.Type];
        var context = new CommandContext(command, _policy, log, _workDirectory);
        try
        {
            var result = await handler.HandleAsync(context, ct).ConfigureAwait(false);
            if (result.Outcome == CommandOutcome.Rejected)
                log.Warn("command {CommandId} (job {JobId}, {CommandType}) rejected: {Reason}", command.CommandId, command.JobId, command.Type, result.Message);
            return result;
        }
        catch (CommandRejectedException e)
        {
            log.Warn("command {CommandId} (job {JobId}, {CommandType}) rejected: {Reason}", command.CommandId, command.JobId, command.Type, e.Message);
            return HandlerResult.Rejected(e.Message);
        }
        catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            // the exception's message, never the payload: the payload may hold a sealed secret's context
            log.Error(e, "command {CommandId} (job {JobId}, {CommandType}) failed", command.CommandId, command.JobId, command.Type);
            return HandlerResult.Failed($"{command.Type} failed: {e.Message}");
        }
    }

    private async Task<ResultFrame> RecordAsync(ResultFrame result)
    {
        await _journal.RecordAsync(result).ConfigureAwait(false);
        return result;
    }
}
