using System.Net;
using Agents.Contracts.Protocol;
using Microsoft.Extensions.Logging;

namespace Agents.RouterBridge.Core.Agents;

/// <summary>
/// A connection without a client certificate: one enroll frame, relayed to the CA, one answer,
/// then the listener closes it. Anything else is refused. The token is never logged.
/// </summary>
internal sealed class EnrollmentEndpoint(AgentListenerOptions options, IEnrollmentRelay enrollment, ILogger<EnrollmentEndpoint> logger)
{
    public async Task ServeAsync(FrameConnection connection, EndPoint? remote, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(connection);
        var frame = await connection.ReadFirstAsync(options.HandshakeTimeout, ct).ConfigureAwait(false);
        if (frame is not EnrollFrame enroll)
        {
            logger.LogWarning("Connection from {Remote} without a certificate sent '{Frame}': only enroll is allowed", remote, frame?.GetType().Name ?? "nothing");
            await connection.CloseAsync("without a client certificate only enroll is allowed").ConfigureAwait(false);
            return;
        }
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(options.EnrollmentTimeout);
        EnrollmentAnswer answer;
        try
        {
            answer = await enrollment.EnrollAsync(enroll.Token, enroll.CsrPem, remote, timeout.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            logger.LogWarning(e, "Enrollment from {Remote} could not be relayed", remote);
            answer = EnrollmentAnswer.Refused("the certificate authority could not be reached; try again");
        }
        if (answer.IsIssued) logger.LogInformation("Enrollment from {Remote} issued", remote);
        else logger.LogInformation("Enrollment from {Remote} refused: {Reason}", remote, answer.RefusalReason);
        Frame reply = answer.IsIssued
            ? new EnrolledFrame(answer.CertificatePem!, answer.CaCertificatePem ?? "")
            : new EnrollRefusedFrame(answer.RefusalReason ?? "refused");
        await connection.WriteAsync(reply, ct).ConfigureAwait(false);
    }
}
