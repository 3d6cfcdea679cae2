using Agents.CaAuthority.Expiry;
using Agents.CaAuthority.Options;
using Agents.CaAuthority.Providers;
using Agents.CaAuthority.Provisioning;
using Agents.CaAuthority.Store;
using Agents.CaAuthority.Tests.Support;
using Agents.Contracts;
using Agents.Contracts.Ca;
using Agents.Contracts.Commands;
using Agents.Contracts.Events;
using Agents.Messaging.Rpc;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using RabbitMQ.Client;
using Agents.Messaging;

namespace Agents.CaAuthority.Tests;

/// <summary>The expiry scan, driven with explicit times so a "day later" needs no waiting.</summary>
[Collection(CaCollection.Name)]
public sealed class ExpiryScanTests(CaFixture ca)
{
    [Fact]
    public async Task with_automatic_renewal_the_holder_is_asked_once_a_day_and_an_alert_follows_when_it_did_not_renew()
    {
        var routerId = Guid.NewGuid().ToString();
        await using var watch = await Watch.StartAsync(ca, routerId);
        var issued = await ca.Client().CallCaAsync<CertificateIssued>(new IssueCertificate
        {
            DomainNames = ["r.example.internal"], Holder = $"urn:cloudstack:router:{routerId}", ValidityDays = 3,
        });
        var scan = Scan(automaticRenewal: true);
        var now = DateTimeOffset.UtcNow;

        await scan.ScanAsync(now, default);
        await scan.ScanAsync(now.AddHours(1), default);

        var command = Assert.Single(await watch.CommandsAsync());
        Assert.Equal(CommandTypes.RekeyCertificate, command.Type);
        Assert.Null(command.VmId);
        Assert.Empty(await watch.AlertsAsync(issued.SerialNumber));

        // a day later it is still not renewed: one alert, and one more request
        await scan.ScanAsync(now.AddDays(1).AddMinutes(1), default);
        await scan.ScanAsync(now.AddDays(1).AddMinutes(2), default);

        Assert.Equal(2, (await watch.CommandsAsync()).Count);
        var alert = Assert.Single(await watch.AlertsAsync(issued.SerialNumber));
        Assert.Equal(EventTypes.AlertCertificateExpiring, alert.AlertType);
        Assert.Equal(AlertState.Firing, alert.State);
    }

    [Fact]
    public async Task without_automatic_renewal_an_expiring_certificate_raises_one_alert_a_day_and_that_survives_a_restart()
    {
        var routerId = Guid.NewGuid().ToString();
        await using var watch = await Watch.StartAsync(ca, routerId);
        var issued = await ca.Client().CallCaAsync<CertificateIssued>(new IssueCertificate
        {
            DomainNames = ["v.example.internal"], Holder = $"urn:cloudstack:router:{routerId}", ValidityDays = 5,
        });
        var now = DateTimeOffset.UtcNow;

        await Scan(automaticRenewal: false).ScanAsync(now, default);
        // a restart: a new store on the same file, a new scan
        await Scan(automaticRenewal: false, new SqlCaStore(Agents.Storage.Database.Sqlite(Path.Combine(ca.DataDirectory, "ca.db")))).ScanAsync(now.AddHours(23), default);

        var alert = Assert.Single(await watch.AlertsAsync(issued.SerialNumber));
        Assert.Contains(issued.SerialNumber, alert.Subject, StringComparison.Ordinal);
        Assert.Contains("ca.framework.cert.automatic.renewal", alert.Body, StringComparison.Ordinal);
        Assert.Empty(await watch.CommandsAsync());

        // the next day: one more, and only one
        await Scan(automaticRenewal: false).ScanAsync(now.AddDays(1).AddSeconds(1), default);
        await Scan(automaticRenewal: false).ScanAsync(now.AddDays(1).AddHours(5), default);
        Assert.Equal(2, (await watch.AlertsAsync(issued.SerialNumber)).Count);
    }

    [Fact]
    public async Task a_certificate_far_from_expiry_is_left_alone_and_a_renewed_one_resolves_its_alert()
    {
        var routerId = Guid.NewGuid().ToString();
        await using var watch = await Watch.StartAsync(ca, routerId);
        var holder = $"urn:cloudstack:router:{routerId}";
        var token = await ca.Client().CallCaAsync<EnrollmentTokenCreated>(new CreateEnrollmentToken { Holder = holder });
        var enrolled = await ca.Client(CaFixture.BridgeUser).CallCaAsync<CertificateIssued>(
            new EnrollHolder { Token = token.Token, Csr = EnrollmentTokenTests.Csr() });
        var now = DateTimeOffset.UtcNow;

        await Scan(automaticRenewal: false).ScanAsync(now, default);
        Assert.Empty(await watch.AlertsAsync(enrolled.SerialNumber));

        // 80 of its 90 days later it is expiring: alert; renewal resolves it
        await Scan(automaticRenewal: false).ScanAsync(now.AddDays(80), default);
        Assert.Single(await watch.AlertsAsync(enrolled.SerialNumber));
        await ca.Client().CallCaAsync<CertificateIssued>(new RenewCertificate { CurrentCertificate = enrolled.Certificate, Csr = EnrollmentTokenTests.Csr() });
        var alerts = await watch.AlertsAsync(enrolled.SerialNumber);
        Assert.Equal([AlertState.Firing, AlertState.Resolved], alerts.Select(a => a.State));
    }

    [Fact]
    public async Task an_expiring_certificate_of_a_vm_is_renewed_through_its_router_and_the_renewal_replaces_it()
    {
        // the VM enrolls through the router whose broker user the fixture has
        var routerId = CaFixture.BridgeRouterId;
        var vm = $"urn:cloudstack:vm:{Guid.NewGuid()}";
        await using var watch = await Watch.StartAsync(ca, routerId);
        var token = await ca.Client().CallCaAsync<EnrollmentTokenCreated>(new CreateEnrollmentToken { Holder = vm, RouterId = routerId });
        var enrolled = await ca.Client(CaFixture.BridgeUser).CallCaAsync<CertificateIssued>(
            new EnrollHolder { Token = token.Token, Csr = EnrollmentTokenTests.Csr() });
        // an administrator issued the VM a one-day certificate: the CA learns its router from the VM's current one
        var shortLived = await ca.Client().CallCaAsync<CertificateIssued>(new IssueCertificate { Holder = vm, ValidityDays = 1 });
        Assert.Equal(routerId, (await ca.Store.FindAsync(shortLived.SerialNumber))!.RouterId);
        var now = DateTimeOffset.UtcNow;

        await Scan(automaticRenewal: true).ScanAsync(now, default);

        var rekey = Assert.Single(await watch.CommandsAsync());
        Assert.Equal(CommandTypes.RekeyCertificate, rekey.Type);
        Assert.Equal(vm, $"urn:cloudstack:vm:{rekey.VmId}");
        Assert.True(rekey.PayloadAs<RekeyCertificate>().Reconnect);

        // the agent renews with the certificate it signs in with: every earlier certificate of the VM is replaced
        var renewed = await ca.Client().CallCaAsync<CertificateIssued>(new RenewCertificate { CurrentCertificate = enrolled.Certificate, Csr = EnrollmentTokenTests.Csr() });
        Assert.Equal(CertificateStatus.Superseded, (await ca.Store.FindAsync(shortLived.SerialNumber))!.Status);
        Assert.Equal(CertificateStatus.Superseded, (await ca.Store.FindAsync(enrolled.SerialNumber))!.Status);
        Assert.Equal(renewed.SerialNumber, (await ca.Store.CurrentForHolderAsync(vm))!.SerialNumber);

        // so a day later nothing of it is expiring: no alert, no second request
        await Scan(automaticRenewal: true).ScanAsync(now.AddDays(1).AddMinutes(1), default);
        Assert.Single(await watch.CommandsAsync());
        Assert.Empty(await watch.AlertsAsync(shortLived.SerialNumber));
    }

    [Fact]
    public async Task a_certificate_no_router_can_renew_raises_one_alert_saying_so_and_asks_nobody()
    {
        var routerId = Guid.NewGuid().ToString();
        await using var watch = await Watch.StartAsync(ca, routerId);
        var issued = await ca.Client().CallCaAsync<CertificateIssued>(new IssueCertificate { DomainNames = ["legacy.example.internal"], ValidityDays = 1 });
        var now = DateTimeOffset.UtcNow;

        await Scan(automaticRenewal: true).ScanAsync(now, default);
        await Scan(automaticRenewal: true).ScanAsync(now.AddMinutes(1), default);

        var alert = Assert.Single(await watch.AlertsAsync(issued.SerialNumber));
        Assert.Equal(AlertSeverity.Critical, alert.Severity);
        Assert.Contains("cannot be renewed automatically", alert.Body, StringComparison.Ordinal);
        Assert.Null((await ca.Store.FindAsync(issued.SerialNumber))!.RenewalRequestedAt);
        Assert.Empty(await watch.CommandsAsync());
    }

    [Fact]
    public async Task a_certificate_issued_with_the_holders_router_records_it_and_a_hostile_router_id_is_refused()
    {
        var vm = $"urn:cloudstack:vm:{Guid.NewGuid()}";
        var issued = await ca.Client().CallCaAsync<CertificateIssued>(new IssueCertificate { Holder = vm, RouterId = CaFixture.BridgeRouterId, ValidityDays = 1 });
        Assert.Equal(CaFixture.BridgeRouterId, (await ca.Store.FindAsync(issued.SerialNumber))!.RouterId);

        var count = await ca.Store.CountAsync();
        var refused = await Assert.ThrowsAsync<Agents.Messaging.Rpc.CaRequestRefusedException>(() =>
            ca.Client().CallCaAsync<CertificateIssued>(new IssueCertificate { Holder = vm, RouterId = "r.#;$(reboot)" }));
        Assert.Contains("not a valid router id", refused.Message, StringComparison.Ordinal);
        Assert.Equal(count, await ca.Store.CountAsync());
    }

    private ExpiryScan Scan(bool automaticRenewal, ICaStore? store = null)
    {
        var services = ca.Ca.Services;
        var options = Microsoft.Extensions.Options.Options.Create(new CaOptions
        {
            AutomaticRenewal = automaticRenewal, ExpiryAlertPeriodDays = 15, CertValidityDays = 90,
        });
        store ??= services.GetRequiredService<ICaStore>();
        return new ExpiryScan(store, new CertificateProvisioner(store, services.GetRequiredService<ICommandSender>(),
                NullLogger<CertificateProvisioner>.Instance),
            services.GetRequiredService<IEventPublisher>(), options, NullLogger<ExpiryScan>.Instance);
    }

    /// <summary>Queues bound to the router's commands and to certificate alerts, read with basic.get.</summary>
    private sealed class Watch : IAsyncDisposable
    {
        private readonly IConnection _connection;
        private readonly IChannel _channel;
        private readonly string _commands;
        private readonly string _alerts;
        private readonly List<AgentCommand> _seenCommands = [];
        private readonly List<(string Serial, AlertRaised Alert)> _seenAlerts = [];

        private Watch(IConnection connection, IChannel channel, string commands, string alerts) =>
            (_connection, _channel, _commands, _alerts) = (connection, channel, commands, alerts);

        public static async Task<Watch> StartAsync(CaFixture ca, string routerId)
        {
            var connection = await ca.Broker.ConnectAsync();
            var channel = await connection.CreateChannelAsync();
            var commands = (await channel.QueueDeclareAsync("", false, true, true)).QueueName;
            await channel.QueueBindAsync(commands, Topology.CommandsExchange, Topology.RouterBinding(routerId));
            var alerts = (await channel.QueueDeclareAsync("", false, true, true)).QueueName;
            await channel.QueueBindAsync(alerts, Topology.EventsExchange, "*.AlertEvent.ALERT-CA-CERTIFICATE-EXPIRING.#");
            return new Watch(connection, channel, commands, alerts);
        }

        public async Task<IReadOnlyList<AgentCommand>> CommandsAsync()
        {
            while (await _channel.BasicGetAsync(_commands, true) is { } d) _seenCommands.Add(AgentJson.Deserialize<AgentCommand>(d.Body.Span));
            return _seenCommands;
        }

        /// <summary>Alerts about this serial seen so far (the queue sees every certificate's).</summary>
        public async Task<IReadOnlyList<AlertRaised>> AlertsAsync(string serial)
        {
            while (await _channel.BasicGetAsync(_alerts, true) is { } d)
            {
                var alert = AlertRaised.FromEvent(CloudStackEvent.Read(d.RoutingKey, d.Body.Span));
                _seenAlerts.Add((alert.ResourceUuid ?? "", alert));
            }
            return _seenAlerts.Where(a => a.Serial == serial).Select(a => a.Alert).ToList();
        }

        public async ValueTask DisposeAsync()
        {
            await _channel.DisposeAsync();
            await _connection.DisposeAsync();
        }
    }
}
