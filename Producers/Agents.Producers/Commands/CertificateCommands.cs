using Agents.Contracts.Ca;
using Agents.Contracts.Commands;
using Agents.Contracts.Events;
using Agents.Producers.Api;
using Agents.Producers.Jobs;
using Agents.Security.Identity;
using Newtonsoft.Json.Linq;

namespace Agents.Producers.Commands;

/// <summary>createAgentEnrollmentToken: a one-time token for a VM's agent (its owner may ask) or a router's bridge (admin).</summary>
public sealed class CreateAgentEnrollmentToken(VmAccess vms, CaClient ca) : IApiCommand
{
    public string Name => "createAgentEnrollmentToken";

    public async Task<JObject> ExecuteAsync(ApiCall call, CancellationToken ct)
    {
        HolderIdentity holder;
        string? routerId = null;
        if (call.OptionalId("virtualmachineid") is { } vmId)
        {
            // the token binds the VM to its router: only that router's bridge may enroll it, and the CA knows where to ask for renewals
            var vm = await vms.RequireAsync(call, vmId, ct).ConfigureAwait(false);
            (holder, routerId) = (HolderIdentity.Vm(vm.Id), vm.RouterId);
        }
        else if (call.OptionalId("routerid") is { } router)
        {
            if (!call.Caller.IsAdmin) throw ApiException.Denied("only an admin creates enrollment tokens for routers");
            holder = HolderIdentity.Router(router);
        }
        else throw ApiException.Missing("virtualmachineid");
        var ttl = call.OptionalInt("ttl", 60, 30 * 24 * 3600) ?? 3600;
        var created = await ca.CallAsync<EnrollmentTokenCreated>(new CreateEnrollmentToken { Holder = holder.Uri, RouterId = routerId, TtlSeconds = ttl }, ct).ConfigureAwait(false);
        return new JObject
        {
            ["enrollmenttoken"] = new JObject { ["token"] = created.Token, ["holder"] = created.Holder, ["expires"] = ApiFormat.Date(created.ExpiresAt) },
        };
    }
}

/// <summary>issueCertificate (admin): from a CSR, or with a key made by the CA; relayed to the CA.</summary>
public sealed class IssueCertificateCommand(VmAccess vms, CaClient ca) : IApiCommand
{
    public string Name => "issueCertificate";
    public bool AdminOnly => true;

    public async Task<JObject> ExecuteAsync(ApiCall call, CancellationToken ct)
    {
        string? holder = null, routerId = null;
        if (call.OptionalId("virtualmachineid") is { } vmId)
        {
            // the VM's router goes with it, so the CA can ask there for the certificate's renewal
            var vm = await vms.RequireAsync(call, vmId, ct).ConfigureAwait(false);
            (holder, routerId) = (HolderIdentity.Vm(vm.Id).Uri, vm.RouterId);
        }
        else if (call.OptionalId("routerid") is { } router) (holder, routerId) = (HolderIdentity.Router(router).Uri, router);
        var issued = await ca.CallAsync<CertificateIssued>(new IssueCertificate
        {
            Csr = call.Optional("csr"),
            DomainNames = Split(call.Optional("domain")),
            IpAddresses = Split(call.Optional("ipaddress")),
            Holder = holder,
            RouterId = routerId,
            ValidityDays = call.OptionalInt("duration", 1, 3650),
            Provider = call.Optional("provider"),
        }, ct).ConfigureAwait(false);
        var response = new JObject
        {
            ["certificate"] = issued.Certificate,
            ["cacertificates"] = issued.CaCertificate,
            ["serialnumber"] = issued.SerialNumber,
            ["notafter"] = ApiFormat.Date(issued.NotAfter),
        };
        if (issued.PrivateKey is not null) response["privatekey"] = issued.PrivateKey;
        return new JObject { ["certificates"] = response };
    }

    private static List<string> Split(string? value) =>
        value?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList() ?? [];
}

public sealed class RevokeCertificateCommand(CaClient ca) : IApiCommand
{
    public string Name => "revokeCertificate";
    public bool AdminOnly => true;

    public async Task<JObject> ExecuteAsync(ApiCall call, CancellationToken ct)
    {
        var serial = call.Required("serial");
        if (!serial.All(char.IsAsciiHexDigit) || serial.Length > 64) throw ApiException.Parameter("serial must be the certificate's serial number in hex");
        var recorded = await ca.CallAsync<CertificateRevocationRecorded>(
            new RevokeCertificate { SerialNumber = serial, CommonName = call.Optional("cn"), Reason = call.Optional("reason") }, ct).ConfigureAwait(false);
        return new JObject { ["success"] = true, ["serialnumber"] = recorded.SerialNumber, ["revoked"] = ApiFormat.Date(recorded.RevokedAt) };
    }
}

/// <summary>provisionCertificate (admin): the VM's agent makes a new key and renews through its bridge (async job, RekeyCertificate).</summary>
public sealed class ProvisionCertificateCommand(VmAccess vms, JobLauncher jobs) : IApiCommand
{
    public string Name => "provisionCertificate";
    public bool AdminOnly => true;

    public async Task<JObject> ExecuteAsync(ApiCall call, CancellationToken ct)
    {
        var vm = await vms.RequireAsync(call, call.RequiredId("virtualmachineid"), ct).ConfigureAwait(false);
        var job = await jobs.LaunchAsync(call, ResourceTypes.VirtualMachine, vm.Id,
            [new TargetSpec(vm.RouterId, vm.Id, CommandTypes.RekeyCertificate, new RekeyCertificate { Reconnect = call.OptionalBool("reconnect", true) })],
            ct: ct).ConfigureAwait(false);
        return ApiFormat.Async(job.Id, vm.Id);
    }
}

public sealed class ListCaCertificate(CaClient ca) : IApiCommand
{
    public string Name => "listCaCertificate";

    public async Task<JObject> ExecuteAsync(ApiCall call, CancellationToken ct)
    {
        var certificate = await ca.CallAsync<CaCertificate>(new GetCaCertificate { Provider = call.Optional("provider") }, ct).ConfigureAwait(false);
        var o = new JObject { ["certificate"] = certificate.Certificate, ["provider"] = certificate.Provider };
        if (certificate.CrlUrl is not null) o["crlurl"] = certificate.CrlUrl;
        return new JObject { ["cacertificates"] = o };
    }
}

public sealed class ListCaProvidersCommand(CaClient ca) : IApiCommand
{
    public string Name => "listCAProviders";

    public async Task<JObject> ExecuteAsync(ApiCall call, CancellationToken ct)
    {
        var providers = await ca.CallAsync<CaProviders>(new ListCaProviders { Name = call.Optional("name") }, ct).ConfigureAwait(false);
        return ApiFormat.List("caprovider", providers.Providers.Select(p => new JObject { ["name"] = p.Name, ["description"] = p.Description }));
    }
}
