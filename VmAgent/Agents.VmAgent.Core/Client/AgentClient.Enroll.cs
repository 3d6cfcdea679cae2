using System.Net;
using Agents.Contracts.Protocol;
using Agents.VmAgent.Core.Identity;
using Agents.VmAgent.Core.Logging;

namespace Agents.VmAgent.Core.Client;

public sealed partial class AgentClient
{
    /// <summary>First contact: the token and a CSR for a key made here; the key never leaves the VM.</summary>
    private async Task<SessionOutcome> EnrollAsync(FrameConnection connection, IPEndPoint endpoint, CancellationToken ct)
    {
        var token = EnrollmentToken.Find(_options.EnrollmentToken, _options.UserDataFile, _options.EnrollmentTokenFile);
        if (token is null)
        {
            LastError = "no certificate and no enrollment token (config enrollmentToken or enrollmentTokenFile, AGENTS_ENROLLMENT_TOKEN, or the user-data file)";
            _log.Error("{Error}", LastError);
            return SessionOutcome.Failed;
        }
        var (key, csr) = AgentIdentityStore.NewKeyAndCsr();
        using (key)
        {
            _log.Info("enrolling with router {Router}", endpoint);
            await connection.WriteAsync(new EnrollFrame(token, csr), ct).ConfigureAwait(false);
            using var answerTimeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
            answerTimeout.CancelAfter(_options.RenewalAnswerTimeout);
            var answer = await connection.ReadAsync(answerTimeout.Token).ConfigureAwait(false);
            switch (answer)
            {
                case EnrolledFrame enrolled:
                    using (var stored = _identity.Save(key, enrolled.CertificatePem, enrolled.CaCertificatePem))
                    {
                        _log.Info("enrolled: certificate {SerialNumber} valid until {NotAfter:O}", stored.SerialNumber, stored.NotAfter);
                    }
                    return SessionOutcome.ReconnectNow;
                case EnrollRefusedFrame refused:
                    LastError = $"enrollment refused: {refused.Reason}";
                    _log.Error("{Error}", LastError);
                    return SessionOutcome.Failed;
                case ErrorFrame error:
                    LastError = $"router closed the enrollment: {error.Reason}";
                    _log.Warn("{Error}", LastError);
                    return SessionOutcome.Failed;
                case null:
                    throw new IOException("router closed the connection during enrollment");
                default:
                    throw new FrameException($"unexpected '{answer.GetType().Name}' during enrollment");
            }
        }
    }
}
