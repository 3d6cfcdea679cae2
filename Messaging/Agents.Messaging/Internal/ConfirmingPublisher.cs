using System.Diagnostics;
using System.Threading.Channels;
using Agents.Contracts;
using Agents.Messaging.Telemetry;
using Microsoft.Extensions.Logging;
using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;

namespace Agents.Messaging.Internal;

/// <summary>
/// Publishes with publisher confirms: <see cref="PublishAsync"/> returns only once the broker has
/// taken responsibility for the message. The window of outstanding confirms is a pool of
/// channels, each publishing one message at a time, because RabbitMQ.Client 7.1.2 must not publish
/// concurrently on one channel nor cancel a tracked publish. A publish interrupted by a lost
/// connection is sent again on a fresh channel (at-least-once; consumers are idempotent).
/// Each publish is a span whose W3C trace context travels in the message's headers
/// (<see cref="MessagingTracing"/>), and confirms, retries and failures are counted (<see cref="MessagingMetrics"/>).
/// </summary>
internal sealed class ConfirmingPublisher : IAsyncDisposable
{
    private const int MaxAttempts = 30;
    private static readonly Backoff Resend = new(TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(2));
    private readonly BrokerConnection _connection;
    private readonly ILogger<ConfirmingPublisher> _logger;
    private readonly Channel<PooledChannel> _pool;
    private readonly List<PooledChannel> _all = [];

    public ConfirmingPublisher(BrokerConnection connection, ILogger<ConfirmingPublisher> logger)
    {
        _connection = connection;
        _logger = logger;
        var size = connection.Options.MaxOutstandingConfirms;
        _pool = System.Threading.Channels.Channel.CreateBounded<PooledChannel>(size);
        for (var i = 0; i < size; i++)
        {
            var pooled = new PooledChannel();
            _all.Add(pooled);
            _pool.Writer.TryWrite(pooled);
        }
    }

    public async Task PublishAsync(OutgoingMessage message, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        using var activity = MessagingTracing.StartPublish(message);
        var traced = WithTraceContext(message, activity ?? Activity.Current);
        var pooled = await _pool.Reader.ReadAsync(ct).ConfigureAwait(false);
        try
        {
            await PublishWithRetryAsync(pooled, traced, ct).ConfigureAwait(false);
            MessagingMetrics.Shared.Confirmed(message.Exchange);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            MessagingMetrics.Shared.Failed(message.Exchange);
            activity?.SetStatus(ActivityStatusCode.Error, e.Message);
            throw;
        }
        finally
        {
            _pool.Writer.TryWrite(pooled);
        }
    }

    /// <summary>The message with the trace context of <paramref name="activity"/> in its headers, unless it carries one already.</summary>
    private static OutgoingMessage WithTraceContext(OutgoingMessage message, Activity? activity)
    {
        if (MessagingTracing.TraceParentOf(activity) is not { } traceParent || message.Headers?.ContainsKey(MessagingTracing.TraceParentHeader) == true)
            return message;
        var headers = message.Headers is null ? new Dictionary<string, object?>() : new Dictionary<string, object?>(message.Headers);
        headers[MessagingTracing.TraceParentHeader] = traceParent;
        if (!string.IsNullOrEmpty(activity!.TraceStateString)) headers[MessagingTracing.TraceStateHeader] = activity.TraceStateString;
        return message with { Headers = headers };
    }

    private async Task PublishWithRetryAsync(PooledChannel pooled, OutgoingMessage message, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                var channel = await pooled.OpenAsync(_connection, ct).ConfigureAwait(false);
                var properties = ToProperties(message);
                // Never pass a cancellable token to a tracked publish (7.1.2 confirm bookkeeping): bound the wait instead.
                var publish = channel.BasicPublishAsync(message.Exchange, message.RoutingKey, message.Mandatory, properties, message.Body, CancellationToken.None)
                    .AsTask();
                await AwaitConfirmAsync(publish, message.MessageId).ConfigureAwait(false);
                return;
            }
            catch (PublishException e) when (e.IsReturn)
            {
                throw new PublishFailedException($"no queue is bound for {message.Exchange}/{message.RoutingKey} (message {message.MessageId})", e);
            }
            catch (PublishException e)
            {
                throw new PublishFailedException($"the broker refused message {message.MessageId} on {message.Exchange}", e);
            }
            catch (Exception e) when ((IsTransient(e) || e is OperationCanceledException) && attempt < MaxAttempts && !ct.IsCancellationRequested)
            {
                // an OperationCanceledException with the caller's token untouched is 7.1.2 giving up on an RPC
                // (channel.open, confirm.select) after its ContinuationTimeout: the broker is slow or frozen, not gone
                _logger.LogWarning("Publish of {MessageId} to {Exchange} interrupted ({Error}); sending again (attempt {Attempt})",
                    message.MessageId, message.Exchange, Describe(e), attempt + 1);
                MessagingMetrics.Shared.Retried(message.Exchange);
                await pooled.ResetAsync().ConfigureAwait(false);
                await Task.Delay(Resend.Delay(attempt - 1), ct).ConfigureAwait(false);
            }
            catch (OperationCanceledException e) when (!ct.IsCancellationRequested)
            {
                // never report a cancellation the caller did not ask for
                throw new TimeoutException($"the broker did not answer for message {message.MessageId} after {attempt} attempts", e);
            }
        }
    }

    private static string Describe(Exception e) =>
        e is OperationCanceledException ? $"the broker did not answer in time: {e.GetType().Name}" : e.Message;

    /// <summary>
    /// The confirm, or a <see cref="TimeoutException"/> after <see cref="RabbitMqOptions.PublishConfirmTimeoutSeconds"/>:
    /// after a broker-side kill, 7.1.2 may never complete a pending confirm (rabbitmq-dotnet-client #1930), and a
    /// publisher waiting on it would stop for good. The abandoned publish is observed so its late failure is not lost.
    /// </summary>
    private async Task AwaitConfirmAsync(Task publish, string? messageId)
    {
        var timeout = TimeSpan.FromSeconds(_connection.Options.PublishConfirmTimeoutSeconds);
        try
        {
            await publish.WaitAsync(timeout).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            _ = publish.ContinueWith(static t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
            throw new TimeoutException($"no confirm for message {messageId} within {timeout.TotalSeconds:0} s");
        }
    }

    private static bool IsTransient(Exception e) =>
        e is AlreadyClosedException or OperationInterruptedException or BrokerUnreachableException or IOException
            or ObjectDisposedException or TimeoutException or System.Net.Sockets.SocketException;

    private static BasicProperties ToProperties(OutgoingMessage message)
    {
        var properties = new BasicProperties
        {
            MessageId = message.MessageId,
            CorrelationId = message.CorrelationId,
            Type = message.Type,
            ReplyTo = message.ReplyTo,
            Expiration = message.Expiration,
            ContentType = "application/json",
            ContentEncoding = "utf-8",
            DeliveryMode = message.Persistent ? DeliveryModes.Persistent : DeliveryModes.Transient,
            Timestamp = new AmqpTimestamp(DateTimeOffset.UtcNow.ToUnixTimeSeconds()),
        };
        if (message.Headers is not null) properties.Headers = new Dictionary<string, object?>(message.Headers);
        return properties;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var pooled in _all) await pooled.ResetAsync().ConfigureAwait(false);
    }

    private sealed class PooledChannel
    {
        private IChannel? _channel;

        public async Task<IChannel> OpenAsync(BrokerConnection connection, CancellationToken ct)
        {
            if (_channel?.IsOpen == true) return _channel;
            await ResetAsync().ConfigureAwait(false);
            var conn = await connection.GetAsync(ct).ConfigureAwait(false);
            var options = new CreateChannelOptions(
                publisherConfirmationsEnabled: true,
                publisherConfirmationTrackingEnabled: true,
                outstandingPublisherConfirmationsRateLimiter: new ThrottlingRateLimiter(64));
            _channel = await conn.CreateChannelAsync(options, ct).ConfigureAwait(false);
            return _channel;
        }

        public async Task ResetAsync()
        {
            var channel = _channel;
            _channel = null;
            if (channel is null) return;
            // Closed, never disposed: a channel left after a confirm timeout may get its close-ok late (the broker side
            // was stuck too), and 7.1.2 handling that frame on a disposed channel throws ObjectDisposedException in the
            // connection's main loop, which kills the connection every publish shares. Bounded: it can hang as well.
            try { await channel.AbortAsync().WaitAsync(TimeSpan.FromSeconds(5)).ConfigureAwait(false); }
            catch (Exception) { /* the channel died with its connection, or would not say so in time */ }
        }
    }
}
