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
/// A reset password is sealed at each send, not when the job is made: to the VM's certificate as
/// the CA knows it at that moment. So a VM whose agent has not enrolled yet gets a job that waits
/// for it (the password stays encrypted with the API's own key in the job store meanwhile), and an
/// agent that renewed its key between attempts gets a password it can open.
/// </summary>
public sealed class PasswordSealer(CaClient ca, IJobStore store)
{
    /// <summary>What a send carries: the payload, or (payload null) why the command cannot go yet and whether a retry can help.</summary>
    public sealed record Sealed(JsonElement? Payload, string? NotYet, bool Final = false);

    public async Task<Sealed> PayloadAsync(JobTarget target, JsonElement stored)
    {
        ArgumentNullException.ThrowIfNull(target);
        if (target.CommandType != CommandTypes.ResetVmPassword || target.VmId is null) return new(stored, null);
        var password = await store.PeekSecretAsync(target.JobId, CancellationToken.None).ConfigureAwait(false);
        if (password is null) return new(null, "the new password expired (agents.password.ttl) before its agent could be reached", Final: true);
        HolderCertificate holder;
        try
        {
            holder = await ca.CallAsync<HolderCertificate>(new GetHolderCertificate { Holder = HolderIdentity.Vm(target.VmId).Uri }, CancellationToken.None).ConfigureAwait(false);
        }
        catch (ApiException e)
        {
            // no certificate: the agent has not enrolled (yet); the CA down: the same wait
            return new(null, e.Message);
        }
        using var certificate = X509Certificate2.CreateFromPem(holder.Certificate);
        var payload = JsonNode.Parse(stored.GetRawText())!.AsObject();
        payload["sealedPassword"] = JsonSerializer.SerializeToNode(SecretSealer.Seal(password, certificate), AgentJson.TypeInfo<SealedSecret>());
        return new(JsonSerializer.SerializeToElement(payload, AgentJson.TypeInfo<JsonObject>()), null);
    }
}
