using System.Security.Cryptography.X509Certificates;
using Agents.Contracts.Protocol;
using Microsoft.Extensions.Logging;

namespace Agents.RouterBridge.Core.Agents;

/// <summary>
/// A renew frame on a live session: the CSR goes to the CA with the certificate the agent proved on
/// this connection (the CA keeps the holder), the answer goes back on the session. Commands keep
/// flowing meanwhile.
/// </summary>
internal sealed class RenewalRelay(AgentListenerOptions options, IEnrollmentRelay enrollment, ILogger<RenewalRelay> logger)
{
    public async Task RenewAsync(BridgeSession session, X509Certificate2 current, string csrPem)
    {
        ArgumentNullException.ThrowIfNull(session);
        Frame reply;
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(session.Token);
            timeout.CancelAfter(options.EnrollmentTimeout);
            var answer = await enrollment.RenewAsync(current, csrPem, timeout.Token).ConfigureAwait(false);
            reply = answer.IsIssued ? new RenewedFrame(answer.CertificatePem!, answer.CaCertificatePem ?? "") : new RenewRefusedFrame(answer.RefusalReason ?? "refused");
            if (answer.IsIssued) logger.LogInformation("Renewal for VM {VmId} issued", session.Holder.Id);
            else logger.LogInformation("Renewal for VM {VmId} refused: {Reason}", session.Holder.Id, answer.RefusalReason);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            logger.LogWarning(e, "Renewal for VM {VmId} could not be relayed", session.Holder.Id);
            reply = new RenewRefusedFrame("the certificate authority could not be reached; try again");
        }
        try
        {
            await session.SendAsync(reply, session.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or ObjectDisposedException)
        {
            // the session ended meanwhile; the agent asks again after reconnecting
        }
    }
}
