using Agents.Contracts.Commands;
using Agents.Messaging;
using Microsoft.Extensions.DependencyInjection;

namespace Agents.RouterBridge.Tests.Support;

/// <summary>Publishes commands addressed to a router itself (no VM), as the API or the CA does, with confirms.</summary>
public sealed class RouterCommands(string brokerUri) : IAsyncDisposable
{
    private readonly ServiceProvider _bus = new ServiceCollection().AddLogging()
        .AddRabbitMqMessaging(o => (o.Uri, o.ConnectionName) = (brokerUri, "bridge-test-commands"))
        .BuildServiceProvider();

    public async Task<AgentCommand> SendAsync(string routerId, string type, object payload, int timeoutSeconds = 60)
    {
        var command = AgentCommand.Create(type, routerId, vmId: null, payload, timeoutSeconds);
        await _bus.GetRequiredService<ICommandSender>().SendAsync(command);
        return command;
    }

    public ValueTask DisposeAsync() => _bus.DisposeAsync();
}
