using System.Collections.Concurrent;
using Agents.Contracts;
using Agents.Messaging.Rpc;
using Microsoft.Extensions.Logging;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;

namespace Agents.Messaging.Internal;

/// <summary>
/// Request/response over a queue with RabbitMQ's direct reply-to: no reply queue to declare or
/// clean up. Requests are not persistent: a caller that times out asks again, and the servers'
/// handlers are idempotent where it matters (token consumption, revocation).
/// </summary>
internal sealed class RpcClient(BrokerConnection connection, ILogger<RpcClient> logger) : IRequestClient, IAsyncDisposable
{
    private const string ReplyQueue = "amq.rabbitmq.reply-to";
    private readonly ConcurrentDictionary<string, TaskCompletionSource<RpcReply>> _pending = new();
    private readonly SemaphoreSlim _gate = new(1, 1);
    private IChannel? _channel;

    public async Task<RpcReply> CallAsync(string queue, string type, object request, TimeSpan timeout, CancellationToken ct = default)
    {
        var correlationId = Guid.NewGuid().ToString();
        var reply = new TaskCompletionSource<RpcReply>(TaskCreationOptions.RunContinuationsAsynchronously);
        _pending[correlationId] = reply;
        try
        {
            await _gate.WaitAsync(ct).ConfigureAwait(false);
            try
            {
                var channel = await OpenAsync(ct).ConfigureAwait(false);
                var properties = new BasicProperties
                {
                    MessageId = correlationId,
                    CorrelationId = correlationId,
                    ReplyTo = ReplyQueue,
                    Type = type,
                    ContentType = "application/json",
                    // the broker checks user_id against the connection's user: the server may trust it
                    UserId = connection.Options.UserName(),
                };
                await channel.BasicPublishAsync("", queue, mandatory: true, properties, AgentJson.ToUtf8(request), CancellationToken.None)
                    .ConfigureAwait(false);
            }
            catch (OperationCanceledException e) when (!ct.IsCancellationRequested)
            {
                // RabbitMQ.Client 7.1.2 gives up on an unanswered channel.open or basic.consume after its
                // ContinuationTimeout with a cancellation: the broker is slow or frozen, and the caller cancelled nothing
                throw new RpcException($"the broker did not answer while {type} was sent to {queue}; ask again", e);
            }
            finally
            {
                _gate.Release();
            }
            try
            {
                return await reply.Task.WaitAsync(timeout, ct).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                throw new RpcException($"no answer from {queue} to {type} within {timeout.TotalSeconds:0}s");
            }
        }
        finally
        {
            _pending.TryRemove(correlationId, out _);
        }
    }

    private async Task<IChannel> OpenAsync(CancellationToken ct)
    {
        if (_channel?.IsOpen == true) return _channel;
        var conn = await connection.GetAsync(ct).ConfigureAwait(false);
        var channel = await conn.CreateChannelAsync(cancellationToken: ct).ConfigureAwait(false);
        channel.BasicReturnAsync += (_, args) =>
        {
            if (args.BasicProperties.CorrelationId is { } id && _pending.TryGetValue(id, out var pending))
                pending.TrySetException(new RpcException($"nobody serves {args.RoutingKey}: {args.ReplyText}"));
            return Task.CompletedTask;
        };
        channel.ChannelShutdownAsync += (_, _) =>
        {
            foreach (var pending in _pending.Values) pending.TrySetException(new RpcException("connection to the broker lost; ask again"));
            return Task.CompletedTask;
        };
        var consumer = new AsyncEventingBasicConsumer(channel);
        consumer.ReceivedAsync += (_, delivery) =>
        {
            var id = delivery.BasicProperties.CorrelationId;
            if (id is not null && _pending.TryGetValue(id, out var pending))
                pending.TrySetResult(new RpcReply(delivery.BasicProperties.Type ?? "", delivery.Body.ToArray()));
            else
                logger.LogWarning("Late or unknown reply {CorrelationId} dropped", id);
            return Task.CompletedTask;
        };
        await channel.BasicConsumeAsync(ReplyQueue, autoAck: true, consumer, ct).ConfigureAwait(false);
        _channel = channel;
        return channel;
    }

    public async ValueTask DisposeAsync()
    {
        if (_channel is null) return;
        try { await _channel.DisposeAsync().ConfigureAwait(false); }
        catch (Exception) { /* gone with the connection */ }
    }
}
