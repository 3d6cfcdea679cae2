using Agents.Contracts.Commands;
using Agents.Messaging;
using Agents.Messaging.Publishing;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Agents.RouterBridge.Tests.Support;

/// <summary>Publishes commands addressed to a router itself (no VM), as the API or the CA does, with confirms.</summary>
public sealed class RouterCommands(string brokerUri) : IAsyncDisposable
{
    private readonly BrokerConnection _connection = new(Options.Create(new RabbitMqOptions { Uri = brokerUri, ConnectionName = "bridge-test-commands" }),
        NullLogger<BrokerConnection>.Instance);
    private ConfirmingPublisher? _publisher;

    public async Task<AgentCommand> SendAsync(string routerId, string type, object payload, int timeoutSeconds = 60)
    {
        _publisher ??= new ConfirmingPublisher(_connection, NullLogger<ConfirmingPublisher>.Instance);
        var command = new AgentCommand
        {
            MessageId = Guid.NewGuid(),
            CommandId = Guid.NewGuid(),
            JobId = Guid.NewGuid(),
            Type = type,
            RouterId = routerId,
            CreatedAt = DateTimeOffset.UtcNow,
            DeliveryTimeoutSeconds = timeoutSeconds,
            ExecutionTimeoutSeconds = timeoutSeconds,
            Payload = AgentCommand.PayloadOf(payload),
        };
        await _publisher.PublishCommandAsync(command);
        return command;
    }

    public async ValueTask DisposeAsync()
    {
        if (_publisher is not null) await _publisher.DisposeAsync();
        await _connection.DisposeAsync();
    }
}
