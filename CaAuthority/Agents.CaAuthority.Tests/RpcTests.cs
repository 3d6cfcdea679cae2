using System.Security.Cryptography.X509Certificates;
using Agents.CaAuthority.Tests.Support;
using Agents.Contracts;
using Agents.Contracts.Ca;
using Agents.Contracts.Commands;
using Agents.Messaging.Rpc;
using Agents.Security.Identity;
using RabbitMQ.Client;

namespace Agents.CaAuthority.Tests;

/// <summary>ca.requests end to end over the broker node, with the broker users the API and the bridges use.</summary>
[Collection(CaCollection.Name)]
public sealed class RpcTests(CaFixture ca)
{
    private const string Bridge = CaFixture.BridgeUser;

    [Fact]
    public async Task list_ca_providers_names_the_root_provider()
    {
        var providers = await ca.Client().CallCaAsync<CaProviders>(new ListCaProviders());
        Assert.Equal("root", Assert.Single(providers.Providers).Name);
        Assert.Empty((await ca.Client().CallCaAsync<CaProviders>(new ListCaProviders { Name = "letsencrypt" })).Providers);
        var refused = await Assert.ThrowsAsync<CaRequestRefusedException>(() =>
            ca.Client().CallCaAsync<CertificateIssued>(new IssueCertificate { DomainNames = ["x.example"], Provider = "letsencrypt" }));
        Assert.Contains("letsencrypt", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task a_holder_renews_with_its_current_certificate_and_the_old_one_is_superseded()
    {
        // the router renews itself through its own broker user
        var holder = "urn:cloudstack:router:" + CaFixture.BridgeRouterId;
        var token = await ca.Client().CallCaAsync<EnrollmentTokenCreated>(new CreateEnrollmentToken { Holder = holder });
        var bridge = ca.Client(Bridge);
        var first = await bridge.CallCaAsync<CertificateIssued>(new EnrollHolder { Token = token.Token, Csr = EnrollmentTokenTests.Csr() });

        var renewed = await bridge.CallCaAsync<CertificateIssued>(new RenewCertificate { CurrentCertificate = first.Certificate, Csr = EnrollmentTokenTests.Csr() });

        using var leaf = X509Certificate2.CreateFromPem(renewed.Certificate);
        Assert.Equal(holder, HolderIdentity.FromCertificate(leaf)?.Uri);
        Assert.NotEqual(first.SerialNumber, renewed.SerialNumber);
        Assert.Equal(Store.CertificateStatus.Superseded, (await ca.Store.FindAsync(first.SerialNumber))!.Status);
        Assert.Equal(renewed.SerialNumber, (await ca.Client().CallCaAsync<HolderCertificate>(new GetHolderCertificate { Holder = holder })).SerialNumber);
    }

    [Fact]
    public async Task a_revoked_or_foreign_certificate_cannot_renew()
    {
        var rpc = ca.Client();
        var issued = await rpc.CallCaAsync<CertificateIssued>(new IssueCertificate { DomainNames = ["r.example"], Holder = "urn:cloudstack:vm:" + Guid.NewGuid() });
        await rpc.CallCaAsync<CertificateRevocationRecorded>(new RevokeCertificate { SerialNumber = issued.SerialNumber });
        var revoked = await Assert.ThrowsAsync<CaRequestRefusedException>(() =>
            rpc.CallCaAsync<CertificateIssued>(new RenewCertificate { CurrentCertificate = issued.Certificate, Csr = EnrollmentTokenTests.Csr() }));
        Assert.Contains("revoked", revoked.Message, StringComparison.Ordinal);

        using var key = System.Security.Cryptography.ECDsa.Create();
        var request = new CertificateRequest("CN=self", key, System.Security.Cryptography.HashAlgorithmName.SHA256);
        using var selfSigned = request.CreateSelfSigned(DateTimeOffset.UtcNow, DateTimeOffset.UtcNow.AddDays(1));
        var foreign = await Assert.ThrowsAsync<CaRequestRefusedException>(() =>
            rpc.CallCaAsync<CertificateIssued>(new RenewCertificate { CurrentCertificate = selfSigned.ExportCertificatePem(), Csr = EnrollmentTokenTests.Csr() }));
        Assert.Contains("not issued by this CA", foreign.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task provision_certificate_sends_a_rekey_command_to_the_holders_router()
    {
        var routerId = CaFixture.BridgeRouterId;
        var vmId = Guid.NewGuid().ToString();
        await using var connection = await ca.Broker.ConnectAsync();
        await using var channel = await connection.CreateChannelAsync();
        var queue = (await channel.QueueDeclareAsync("", durable: false, exclusive: true, autoDelete: true)).QueueName;
        await channel.QueueBindAsync(queue, Topology.CommandsExchange, Topology.RouterBinding(routerId));
        var token = await ca.Client().CallCaAsync<EnrollmentTokenCreated>(new CreateEnrollmentToken { Holder = $"urn:cloudstack:vm:{vmId}", RouterId = routerId });
        await ca.Client(Bridge).CallCaAsync<CertificateIssued>(new EnrollHolder { Token = token.Token, Csr = EnrollmentTokenTests.Csr() });

        var requested = await ca.Client().CallCaAsync<ProvisionRequested>(new ProvisionCertificate
        {
            Holder = $"urn:cloudstack:vm:{vmId}", RouterId = "", Reconnect = true,
        });

        var delivery = await channel.BasicGetAsync(queue, autoAck: true);
        Assert.NotNull(delivery);
        Assert.Equal(Topology.CommandRoutingKey(routerId, vmId), delivery.RoutingKey);
        Assert.Equal(CommandTypes.RekeyCertificate, delivery.BasicProperties.Type);
        var command = AgentJson.Deserialize<AgentCommand>(delivery.Body.Span);
        Assert.Equal(requested.JobId, command.JobId);
        Assert.Equal(vmId, command.VmId);
        Assert.True(command.PayloadAs<RekeyCertificate>().Reconnect);
    }

    [Fact]
    public async Task an_unknown_request_type_and_unreadable_json_get_a_clear_ca_error()
    {
        var rpc = ca.Client();
        var unknown = await rpc.CallAsync(Topology.CaRequestsQueue, "FormatHardDisk", new GetCaCertificate(), TimeSpan.FromSeconds(30));
        Assert.Equal(nameof(CaError), unknown.Type);
        Assert.Contains("unknown request type", unknown.Read<CaError>().ErrorText, StringComparison.Ordinal);

        var unreadable = await rpc.CallAsync(Topology.CaRequestsQueue, nameof(IssueCertificate), "not json at all {", TimeSpan.FromSeconds(30));
        Assert.Equal(nameof(CaError), unreadable.Type);
        Assert.Equal(431, unreadable.Read<CaError>().ErrorCode);
    }
}
