using Agents.Contracts;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using RabbitMQ.Client;

namespace Agents.Messaging.Internal;

/// <summary>
/// The one named connection of a service. It recovers by itself: the client's automatic
/// recovery is off because it neither retries the first connect nor reopens channels closed by
/// an error (RabbitMQ.Client 7.1.2), so every user of a channel asks this class for a live
/// connection and builds its channel again after a loss.
/// </summary>
internal sealed class BrokerConnection(IOptions<RabbitMqOptions> options, ILogger<BrokerConnection> logger) : IBrokerStatus, IAsyncDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private IConnection? _connection;
    private bool _disposed;

    public RabbitMqOptions Options => options.Value;

    public bool IsOpen => _connection?.IsOpen == true;

    bool IBrokerStatus.IsConnected => IsOpen;

    string IBrokerStatus.Broker => Options.RedactedUri();

    /// <summary>An open connection, connecting (with the capped exponential <see cref="Backoff"/>) if there is none.</summary>
    public async Task<IConnection> GetAsync(CancellationToken ct)
    {
        var current = _connection;
        if (current?.IsOpen == true) return current;
        await _gate.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_connection?.IsOpen == true) return _connection;
            if (_connection is not null) await DisposeQuietly(_connection).ConfigureAwait(false);
            _connection = await ConnectWithRetryAsync(ct).ConfigureAwait(false);
            return _connection;
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task<IConnection> ConnectWithRetryAsync(CancellationToken ct)
    {
        var factory = new ConnectionFactory
        {
            Uri = new Uri(Options.Uri),
            ClientProvidedName = Options.ConnectionName,
            AutomaticRecoveryEnabled = false,
            TopologyRecoveryEnabled = false,
            RequestedHeartbeat = TimeSpan.FromSeconds(15),
        };
        var backoff = new Backoff(TimeSpan.FromMilliseconds(250), TimeSpan.FromSeconds(Options.MaxReconnectDelaySeconds));
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                var connection = await factory.CreateConnectionAsync(ct).ConfigureAwait(false);
                logger.LogInformation("Connected to {Broker} as {ConnectionName}", Options.RedactedUri(), Options.ConnectionName);
                connection.ConnectionShutdownAsync += (_, args) =>
                {
                    if (args.Initiator != ShutdownInitiator.Application)
                        logger.LogWarning("Connection {ConnectionName} lost: {Reason}", Options.ConnectionName, args.ReplyText);
                    return Task.CompletedTask;
                };
                return connection;
            }
            catch (Exception e) when (!ct.IsCancellationRequested)
            {
                var delay = backoff.Delay(attempt - 1);
                logger.LogWarning("Broker {Broker} unreachable (attempt {Attempt}): {Error}; retrying in {Delay}",
                    Options.RedactedUri(), attempt, e.Message, delay);
                await Task.Delay(delay, ct).ConfigureAwait(false);
            }
        }
    }

    private static async Task DisposeQuietly(IConnection connection)
    {
        try { await connection.DisposeAsync().ConfigureAwait(false); }
        catch (Exception) { /* already broken: nothing left to release */ }
    }

    public async ValueTask DisposeAsync()
    {
        await _gate.WaitAsync().ConfigureAwait(false);
        try
        {
            _disposed = true;
            if (_connection is not null)
            {
                try { await _connection.CloseAsync().ConfigureAwait(false); }
                catch (Exception) { /* closing a dead connection */ }
                await DisposeQuietly(_connection).ConfigureAwait(false);
                _connection = null;
            }
        }
        finally
        {
            _gate.Release();
        }
    }
}
