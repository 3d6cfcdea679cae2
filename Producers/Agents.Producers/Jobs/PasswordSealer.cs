using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using System.Text.Json.Nodes;
using Agents.Contracts;
using Agents.Contracts.Ca;
using Agents.Contracts.Commands;
using Agents.Producers.Api;
using Agents.Producers.Handlers.Certificates;
using Agents.Security.Identity;
using Agents.Security.Sealing;

namespace Agents.Producers.Jobs;

/// <summary>
/// A reset password is sealed to the VM's certificate as the CA knows it when the command goes
/// out: by the API call when the VM has one (the first attempt sends that), else, and at every
/// retry, again at the send (<see cref="HolderCertificates"/>: kept from the CA's answers, current by its events). So a VM whose agent has not enrolled yet gets a job that waits for it
/// (the password stays encrypted with the API's own key in the job store meanwhile), and an agent
/// that renewed its key between attempts gets a password it can open.
/// </summary>
public sealed class PasswordSealer(HolderCertificates certificates, IJobStore store)
{
    private const string SealedField = "sealedPassword";

    /// <summary>What a send carries: the payload, or (payload null) why the command cannot go yet and whether a retry can help.</summary>
    public sealed record Sealed(JsonElement? Payload, string? NotYet, bool Final = false);

    /// <summary><paramref name="payload"/> with <paramref name="password"/> sealed to the VM's current certificate, or why not (no certificate yet, the CA down).</summary>
    public async Task<(JsonObject? Payload, string? NotYet)> SealAsync(string vmId, string password, JsonObject payload, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(payload);
        HolderCertificate holder;
        try
        {
            holder = await certificates.CurrentAsync(HolderIdentity.Vm(vmId).Uri, ct).ConfigureAwait(false);
        }
        catch (ApiException e)
        {
            return (null, e.Message);
        }
        using var certificate = X509Certificate2.CreateFromPem(holder.Certificate);
        var sealedPayload = payload.DeepClone().AsObject();
        sealedPayload[SealedField] = JsonSerializer.SerializeToNode(SecretSealer.Seal(password, certificate), AgentJson.TypeInfo<SealedSecret>());
        return (sealedPayload, null);
    }

    public async Task<Sealed> PayloadAsync(JobTarget target, JsonElement stored)
    {
        ArgumentNullException.ThrowIfNull(target);
        if (target.CommandType != CommandTypes.ResetVmPassword || target.VmId is null) return new(stored, null);
        // sealed by the API call to the certificate the VM had then: good for the first attempt
        if (target.Attempt <= 1 && stored.TryGetProperty(SealedField, out _)) return new(stored, null);
        var password = await store.PeekSecretAsync(target.JobId, CancellationToken.None).ConfigureAwait(false);
        if (password is null) return new(null, "the new password expired (agents.password.ttl) before its agent could be reached", Final: true);
        var payload = JsonNode.Parse(stored.GetRawText())!.AsObject();
        payload.Remove(SealedField);
        var (sealedPayload, notYet) = await SealAsync(target.VmId, password, payload, CancellationToken.None).ConfigureAwait(false);
        return sealedPayload is null ? new(null, notYet) : new(JsonSerializer.SerializeToElement(sealedPayload, AgentJson.TypeInfo<JsonObject>()), null);
    }
}
