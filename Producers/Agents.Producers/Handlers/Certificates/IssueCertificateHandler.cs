using System.Text.Json.Nodes;
using Agents.Contracts.Ca;
using Agents.Producers.Api;
using Agents.Producers.Handlers.Routers;
using Agents.Producers.Handlers.VirtualMachines;
using Agents.Security.Identity;

namespace Agents.Producers.Handlers.Certificates;

/// <summary>issueCertificate (admin): from a CSR, or with a key made by the CA; relayed to the CA.</summary>
public sealed class IssueCertificateHandler(VmAccess vms, CaClient ca) : IApiHandler
{
    private static readonly ApiParameter Csr = new("csr", ApiParameterType.String, "The certificate signing request (in pem format), if CSR is not provided then configured/provided options are considered") { Length = 65535 };
    private static readonly ApiParameter Domain = new("domain", ApiParameterType.String, "Comma separated list of domains, the certificate should be issued for. When csr is not provided, the first domain is used as a subject/CN");
    private static readonly ApiParameter IpAddress = new("ipaddress", ApiParameterType.String, "Comma separated list of IP addresses, the certificate should be issued for");
    private static readonly ApiParameter Duration = new("duration", ApiParameterType.Integer, "Certificate validity duration in number of days, when not provided the default configured value will be used");
    private static readonly ApiParameter Provider = new("provider", ApiParameterType.String, "Name of the CA service provider, otherwise the default configured provider plugin will be used");
    private static readonly ApiParameter VirtualMachineId = new("virtualmachineid", ApiParameterType.Uuid, "the VM whose agent the certificate names") { Entity = VirtualMachineResponse.ObjectName };
    private static readonly ApiParameter RouterId = new("routerid", ApiParameterType.Uuid, "the router whose bridge the certificate names") { Entity = RouterHealthCheckResponse.ObjectName };

    public ApiDefinition Definition { get; } = new("issueCertificate", "Issues a client certificate using configured or provided CA plugin")
    {
        Since = "4.11.0",
        Access = ApiAccess.Admin,
        Parameters = [Csr, Domain, IpAddress, Duration, Provider, VirtualMachineId, RouterId],
        ResponseObject = CertificateResponse.ObjectName,
        Response = CertificateResponse.Fields,
    };

    public async Task<JsonObject> HandleAsync(ApiCall call, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(call);
        string? holder = null, routerId = null;
        if (call.OptionalId(VirtualMachineId) is { } vmId)
        {
            // the VM's router goes with it, so the CA can ask there for the certificate's renewal
            var vm = await vms.RequireAsync(call, vmId, ct).ConfigureAwait(false);
            (holder, routerId) = (HolderIdentity.Vm(vm.Id).Uri, vm.RouterId);
        }
        else if (call.OptionalId(RouterId) is { } router) (holder, routerId) = (HolderIdentity.Router(router).Uri, router);
        var issued = await ca.CallAsync<CertificateIssued>(new IssueCertificate
        {
            Csr = call.Optional(Csr),
            DomainNames = Split(call.Optional(Domain)),
            IpAddresses = Split(call.Optional(IpAddress)),
            Holder = holder,
            RouterId = routerId,
            ValidityDays = call.OptionalInt(Duration, 1, 3650),
            Provider = call.Optional(Provider),
        }, ct).ConfigureAwait(false);
        var response = new JsonObject
        {
            ["certificate"] = issued.Certificate,
            ["cacertificates"] = issued.CaCertificate,
            ["serialnumber"] = issued.SerialNumber,
            ["notafter"] = ApiFormat.Date(issued.NotAfter),
        }.With("privatekey", issued.PrivateKey);
        return new JsonObject { [CertificateResponse.ObjectName] = response };
    }

    private static List<string> Split(string? value) =>
        value?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList() ?? [];
}
