using Agents.Consumers.Plugins;
using Agents.Consumers.Bus;
using Agents.Consumers.Tests.Support;
using Agents.Contracts;
using Agents.Testing;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;

namespace Agents.Consumers.Tests;

/// <summary>
/// Pins why the consumers bind their queues with the messaging kit: MassTransit's own Bind
/// declares cloudstack-events, which the consumers broker user may not configure.
/// </summary>
[Collection(BrokerCollection.Name)]
public sealed class MassTransitTopologyTests(BrokerFixture broker)
{
    [Fact]
    public async Task a_masstransit_bind_to_cloudstack_events_is_refused_for_the_consumers_user()
    {
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var queue = $"consumers.mt-bind-probe-{suffix}";
        var uri = new Uri(broker.AmqpUri("consumers"));
        await using var provider = new ServiceCollection()
            .AddLogging()
            .AddMassTransit(x => x.UsingRabbitMq((context, cfg) =>
            {
                cfg.Host(uri.Host, (ushort)uri.Port, "/", $"mt-probe-{suffix}", h =>
                {
                    h.Username("consumers");
                    h.Password(DevCredentials.PasswordOf("consumers"));
                });
                cfg.OverrideDefaultBusEndpointQueueName($"consumers.bus-probe-{suffix}");
                cfg.ReceiveEndpoint(queue, e =>
                {
                    e.ConfigureConsumeTopology = false;
                    e.PublishFaults = false;
                    e.Bind(Topology.EventsExchange, b =>
                    {
                        b.ExchangeType = "topic";
                        b.Durable = true;
                        b.AutoDelete = false;
                        b.RoutingKey = "#";
                    });
                    e.Handler<CloudStackEventMessage>(_ => Task.CompletedTask);
                });
            }))
            .BuildServiceProvider();
        var bus = provider.GetRequiredService<IBusControl>();
        using (var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20)))
        {
            try { await bus.StartAsync(cts.Token); }
            catch (Exception e) when (e is OperationCanceledException or MassTransitException) { /* the endpoint keeps faulting */ }
        }
        await Task.Delay(TimeSpan.FromSeconds(3));
        var bindings = await broker.Node.CtlAsync("list_bindings", "--quiet", "--no-table-headers", "source_name", "destination_name");
        try { await bus.StopAsync(CancellationToken.None); }
        catch (MassTransitException) { /* stopping a faulted bus */ }

        Assert.DoesNotContain($"{Topology.EventsExchange}\t{queue}", bindings, StringComparison.Ordinal);
        Assert.Contains("access to exchange 'cloudstack-events' in vhost '/' refused for user 'consumers'", broker.Node.LogTail(), StringComparison.Ordinal);
    }
}
