using Agents.CaAuthority.Store;
using Agents.Contracts.Ca;
using Agents.Contracts.Commands;
using Agents.Security.Identity;
using Microsoft.Extensions.Logging;
using Agents.Messaging;

namespace Agents.CaAuthority.Provisioning;

/// <summary>
/// provisionCertificate, and the automatic renewal of the expiry scan: a RekeyCertificate command
/// on <c>agents.commands</c> for the holder's router. The holder makes a new key and CSR and renews
/// over its bridge; the CA never sees its private key.
/// </summary>
public sealed class CertificateProvisioner(ICaStore store, ICommandSender commands, ILogger<CertificateProvisioner> logger)
{
    public async Task<ProvisionRequested> ProvisionAsync(ProvisionCertificate request, CancellationToken ct)
    {
        if (!HolderIdentity.TryParse(request.Holder, out var holder))
            throw CaRequestException.BadParameter($"holder '{request.Holder}' is not urn:cloudstack:vm|router:<id>");
        var routerId = string.IsNullOrWhiteSpace(request.RouterId)
            ? await RouterOfAsync(holder!, ct).ConfigureAwait(false)
            : request.RouterId;
        if (!HolderIdentity.IsSafeId(routerId) || routerId.Contains('.', StringComparison.Ordinal))
            throw CaRequestException.BadParameter($"routerId '{routerId}' is not a valid router id");
        var jobId = await SendRekeyAsync(holder!, routerId, request.Reconnect, ct).ConfigureAwait(false);
        return new ProvisionRequested { Holder = holder!.Uri, JobId = jobId };
    }

    /// <summary>The router through which the holder of <paramref name="certificate"/> can be asked to renew; null when there is none (no holder, or none known).</summary>
    public static string? RenewalRouter(CertificateRecord certificate) =>
        !HolderIdentity.TryParse(certificate.Holder, out var holder) || holder!.Kind == HolderKind.Service ? null
        : certificate.RouterId ?? (holder.Kind == HolderKind.Router ? holder.Id : null);

    /// <summary>Asks the holder of <paramref name="certificate"/> to rekey through <see cref="RenewalRouter"/>, which must be known.</summary>
    public async Task RequestRenewalAsync(CertificateRecord certificate, CancellationToken ct)
    {
        var routerId = RenewalRouter(certificate)
            ?? throw new InvalidOperationException($"no router is known for certificate {certificate.SerialNumber}");
        // like CloudStack's background task: renew, then reconnect so the new certificate is in use at once
        await SendRekeyAsync(HolderIdentity.Parse(certificate.Holder!), routerId, reconnect: true, ct).ConfigureAwait(false);
    }

    private async Task<string> RouterOfAsync(HolderIdentity holder, CancellationToken ct)
    {
        if (holder.Kind == HolderKind.Router) return holder.Id;
        var current = await store.CurrentForHolderAsync(holder.Uri, ct).ConfigureAwait(false);
        return current?.RouterId ?? throw CaRequestException.BadParameter($"routerId is required: the CA does not know which router {holder.Uri} is behind");
    }

    private async Task<Guid> SendRekeyAsync(HolderIdentity holder, string routerId, bool reconnect, CancellationToken ct)
    {
        if (holder.Kind == HolderKind.Service)
            throw CaRequestException.BadParameter($"{holder.Uri} is a service: it renews by itself, no command can reach it");
        var command = AgentCommand.Create(CommandTypes.RekeyCertificate, routerId, holder.Kind == HolderKind.Vm ? holder.Id : null,
            new RekeyCertificate { Reconnect = reconnect });
        await commands.SendAsync(command, ct).ConfigureAwait(false);
        logger.LogInformation("RekeyCertificate {CommandId} (job {JobId}) sent to {Holder} via router {RouterId}",
            command.CommandId, command.JobId, holder.Uri, routerId);
        return command.JobId;
    }
}
