using Agents.Contracts.Commands;
using Agents.Contracts.Protocol;

namespace Agents.VmAgent.Core.Handlers;

/// <summary>provisionCertificate: a fresh key, a CSR, a renewal through the bridge; the agent keeps running.</summary>
public sealed class RekeyHandler(ICertificateRenewer renewer) : ICommandHandler
{
    public string CommandType => CommandTypes.RekeyCertificate;

    public async Task<HandlerResult> HandleAsync(CommandContext context, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(context);
        var payload = PayloadReader.Read<RekeyCertificate>(context.Command);
        await renewer.RenewAsync(payload.Reconnect, ct).ConfigureAwait(false);
        return HandlerResult.Success("new key and certificate installed");
    }
}
