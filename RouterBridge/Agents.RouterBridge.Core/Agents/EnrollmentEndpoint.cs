using System.Net;
using Agents.Contracts.Protocol;
using Microsoft.Extensions.Logging;

namespace Agents.RouterBridge.Core.Agents;

/// <summary>
/// A connection without a client certificate: one enroll frame, relayed to the CA, one answer,
/// then the listener closes it. Anything else is refused, and so is a source address past its
/// enrollment rate (without reaching the CA). The token is never logged.
/// </summary>
internal sealed class EnrollmentEndpoint(AgentListenerOptions options, IEnrollmentRelay enrollment, ILogger<EnrollmentEndpoint> logger) : IDisposable
{
    private readonly EnrollmentRateLimiter _rate = new(options.EnrollmentRateLimit);

    /// <summary>Serves the one enroll frame; <paramref name="notEnrolled"/> hears why not before the peer does (so the refusal is recorded first).</summary>
    public async Task ServeAsync(FrameConnection connection, EndPoint? remote, Action<string> notEnrolled, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(notEnrolled);
        ArgumentNullException.ThrowIfNull(connection);
        var frame = await connection.ReadFirstAsync(options.HandshakeTimeout, ct).ConfigureAwait(false);
        if (frame is not EnrollFrame enroll)
        {
            const string onlyEnroll = "without a client certificate only enroll is allowed";
            logger.LogWarning("Connection from {Remote} without a certificate sent '{Frame}': only enroll is allowed", remote, frame?.GetType().Name ?? "nothing");
            notEnrolled(onlyEnroll);
            await connection.CloseAsync(onlyEnroll).ConfigureAwait(false);
            return;
        }
        var answer = _rate.TryAcquire(remote)
            ? await RelayAsync(enroll, remote, ct).ConfigureAwait(false)
            : EnrollmentAnswer.Refused($"too many enrollment attempts from this address (more than {options.EnrollmentRateLimit} a minute); try again later");
        if (answer.IsIssued)
        {
            logger.LogInformation("Enrollment from {Remote} issued", remote);
        }
        else
        {
            logger.LogInformation("Enrollment from {Remote} refused: {Reason}", remote, answer.RefusalReason);
            notEnrolled(answer.RefusalReason ?? "refused");
        }
        Frame reply = answer.IsIssued
            ? new EnrolledFrame(answer.CertificatePem!, answer.CaCertificatePem ?? "")
            : new EnrollRefusedFrame(answer.RefusalReason ?? "refused");
        await connection.WriteAsync(reply, ct).ConfigureAwait(false);
    }

    private async Task<EnrollmentAnswer> RelayAsync(EnrollFrame enroll, EndPoint? remote, CancellationToken ct)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(options.EnrollmentTimeout);
        try
        {
            return await enrollment.EnrollAsync(enroll.Token, enroll.CsrPem, remote, timeout.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            logger.LogWarning(e, "Enrollment from {Remote} could not be relayed", remote);
            return EnrollmentAnswer.Refused("the certificate authority could not be reached; try again");
        }
    }

    public void Dispose() => _rate.Dispose();
}
