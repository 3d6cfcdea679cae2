using Agents.Contracts.Commands;

namespace Agents.Messaging;

/// <summary>
/// Sends a command to a router's bridge (and through it to an agent) on <c>agents.commands</c>.
/// The task completes once the broker has confirmed the message; a command no bridge is bound
/// for lands in <c>agents.unroutable</c>. It fails with <see cref="PublishFailedException"/> when
/// the broker refuses it.
/// </summary>
public interface ICommandSender
{
    Task SendAsync(AgentCommand command, CancellationToken ct = default);

    /// <summary>Several commands of one job to VMs behind one router, in one confirmed message.</summary>
    Task SendAsync(AgentCommandBatch batch, CancellationToken ct = default);
}
