using Agents.Contracts.Events;
using Agents.Messaging;

namespace Agents.Producers.Api;

/// <summary>
/// Tells the event bus (and so the audit log) about every refused API call. The command name is
/// the caller's text: cut and reduced to safe characters before it is written anywhere.
/// </summary>
public sealed class RefusalAudit(IEventPublisher publisher, TimeProvider time, ILogger<RefusalAudit> logger)
{
    public async Task RecordAsync(string command, string? account, string? remoteAddress, ApiException refused)
    {
        ArgumentNullException.ThrowIfNull(refused);
        var safe = new string([.. command.Take(64).Select(c => char.IsAsciiLetterOrDigit(c) ? c : '?')]);
        try
        {
            await publisher.PublishAsync(new ApiRequestRefused
            {
                MessageId = Guid.NewGuid(),
                Command = safe.Length == 0 ? "(none)" : safe,
                Account = account,
                RemoteAddress = remoteAddress,
                ErrorCode = refused.ErrorCode,
                ErrorText = refused.Message.Length > 300 ? refused.Message[..300] : refused.Message,
                At = time.GetUtcNow(),
            }.ToEvent(), CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // the caller has its answer already; a lost audit record is logged, never a reason to fail the call
            logger.LogWarning("Refusal of API {Command} not published to the audit log: {Error}", safe, e.Message);
        }
    }
}
