using Agents.CaAuthority.Tests.Support;
using Agents.Contracts;
using Agents.Contracts.Ca;
using Agents.Messaging.Rpc;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;

namespace Agents.CaAuthority.Tests;

/// <summary>Who may ask what, by the user_id the broker vouches for.</summary>
[Collection(CaCollection.Name)]
public sealed class CallerPolicyTests(CaFixture ca)
{
    [Fact]
    public async Task a_bridge_may_not_issue_revoke_provision_or_create_tokens_and_nothing_is_written()
    {
        var bridge = ca.Client(CaFixture.BridgeUser);
        var before = await ca.Store.CountAsync();
        object[] requests =
        [
            new IssueCertificate { DomainNames = ["x.example"], Holder = "urn:cloudstack:vm:victim" },
            new RevokeCertificate { SerialNumber = "0A0B" },
            new ProvisionCertificate { Holder = "urn:cloudstack:vm:victim", RouterId = CaFixture.BridgeRouterId },
            new CreateEnrollmentToken { Holder = "urn:cloudstack:vm:victim" },
        ];
        foreach (var request in requests)
        {
            var refused = await Assert.ThrowsAsync<CaRequestRefusedException>(() => bridge.CallCaAsync<object>(request));
            Assert.Equal(401, refused.ErrorCode);
            Assert.Contains(CaFixture.BridgeUser, refused.Message, StringComparison.Ordinal);
        }
        Assert.Equal(before, await ca.Store.CountAsync());
    }

    [Fact]
    public async Task a_bridge_may_not_enroll_or_renew_a_holder_behind_another_router()
    {
        var admin = ca.Client();
        var elsewhere = "urn:cloudstack:vm:" + Guid.NewGuid();
        var token = await admin.CallCaAsync<EnrollmentTokenCreated>(new CreateEnrollmentToken { Holder = elsewhere, RouterId = "other-router" });
        var bridge = ca.Client(CaFixture.BridgeUser);

        var enroll = await Assert.ThrowsAsync<CaRequestRefusedException>(() =>
            bridge.CallCaAsync<CertificateIssued>(new EnrollHolder { Token = token.Token, Csr = EnrollmentTokenTests.Csr() }));
        Assert.Contains("other-router", enroll.Message, StringComparison.Ordinal);

        // the token was not consumed: the right router's bridge (here the API user) still enrolls with it
        var issued = await admin.CallCaAsync<CertificateIssued>(new EnrollHolder { Token = token.Token, Csr = EnrollmentTokenTests.Csr() });
        var renew = await Assert.ThrowsAsync<CaRequestRefusedException>(() =>
            bridge.CallCaAsync<CertificateIssued>(new RenewCertificate { CurrentCertificate = issued.Certificate, Csr = EnrollmentTokenTests.Csr() }));
        Assert.Equal(401, renew.ErrorCode);
    }

    [Fact]
    public async Task a_privileged_request_without_user_id_is_refused()
    {
        await using var connection = await ca.Broker.ConnectAsync("producers");
        await using var channel = await connection.CreateChannelAsync();
        var answer = new TaskCompletionSource<BasicDeliverEventArgs>(TaskCreationOptions.RunContinuationsAsynchronously);
        var consumer = new AsyncEventingBasicConsumer(channel);
        consumer.ReceivedAsync += (_, d) => { answer.TrySetResult(d); return Task.CompletedTask; };
        await channel.BasicConsumeAsync("amq.rabbitmq.reply-to", autoAck: true, consumer);

        var properties = new BasicProperties { Type = nameof(CreateEnrollmentToken), ReplyTo = "amq.rabbitmq.reply-to", CorrelationId = "c1" };
        await channel.BasicPublishAsync("", Topology.CaRequestsQueue, false, properties,
            AgentJson.ToUtf8(new CreateEnrollmentToken { Holder = "urn:cloudstack:vm:x" }));

        var reply = await answer.Task.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(nameof(CaError), reply.BasicProperties.Type);
        var error = AgentJson.Deserialize<CaError>(reply.Body.Span);
        Assert.Equal(401, error.ErrorCode);
        Assert.Contains("no user_id", error.ErrorText, StringComparison.Ordinal);
    }
}
