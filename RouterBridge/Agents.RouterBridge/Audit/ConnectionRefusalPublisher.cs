using System.Net;
using System.Threading.Channels;
using Agents.Contracts.Events;
using Agents.RouterBridge.Core.Agents;
using Agents.Security.Identity;
using Agents.Security.Tls;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Agents.Messaging;

namespace Agents.RouterBridge.Audit;

/// <summary>
/// AGENT.CONNECTION.REFUSE ActionEvents for connections the listener refused for their
/// certificate (an impostor, a revoked or expired certificate, none under strictness), so the
/// audit log and listEvents show them. Repeats of one claimant (the same certificate, or without
/// one the same address; at most 1,000 claimants apart, the rest share one entry) are folded into one event per <see cref="BridgeOptions.RefusalEventIntervalSeconds"/>;
/// events are published with confirms from a queue, so a slow broker never stalls a handshake.
/// </summary>
public sealed class ConnectionRefusalPublisher(
    IOptions<BridgeOptions> options,
    AgentListener listener,
    IEventPublisher publisher,
    TimeProvider time,
    ILogger<ConnectionRefusalPublisher> logger) : BackgroundService
{
    private readonly RefusalThrottle<Attempt> _throttle = new(TimeSpan.FromSeconds(options.Value.RefusalEventIntervalSeconds), maxClaimants: 1_000);
    private readonly Channel<AgentConnectionRefused> _pending = Channel.CreateBounded<AgentConnectionRefused>(
        new BoundedChannelOptions(10_000) { FullMode = BoundedChannelFullMode.DropOldest });

    public override Task StartAsync(CancellationToken cancellationToken)
    {
        listener.ConnectionRefused += OnRefused;
        return base.StartAsync(cancellationToken);
    }

    public override Task StopAsync(CancellationToken cancellationToken)
    {
        listener.ConnectionRefused -= OnRefused;
        return base.StopAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var flushing = FlushLoopAsync(stoppingToken);
        try
        {
            await foreach (var refused in _pending.Reader.ReadAllAsync(stoppingToken).ConfigureAwait(false))
            {
                try
                {
                    await publisher.PublishAsync(refused.ToEvent(), stoppingToken).ConfigureAwait(false);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    logger.LogWarning("Refused connection from {Remote} not published to the audit log: {Error}", refused.RemoteAddress, e.Message);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // stopping
        }
        await flushing.ConfigureAwait(false);
    }

    private async Task FlushLoopAsync(CancellationToken ct)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1), time);
        try
        {
            while (await timer.WaitForNextTickAsync(ct).ConfigureAwait(false))
            {
                IReadOnlyList<(Attempt Item, int Repeated)> due;
                lock (_throttle) due = _throttle.Flush(time.GetUtcNow());
                foreach (var (attempt, repeated) in due) Enqueue(attempt, repeated);
            }
        }
        catch (OperationCanceledException) { }
    }

    private void OnRefused(PeerRefusal refusal, EndPoint? remote)
    {
        var attempt = new Attempt(refusal, remote, time.GetUtcNow());
        (Attempt Item, int Repeated)? now;
        lock (_throttle) now = _throttle.Offer(attempt.Claimant, attempt, attempt.At);
        if (now is { } send) Enqueue(send.Item, send.Repeated);
    }

    private void Enqueue(Attempt attempt, int repeated) => _pending.Writer.TryWrite(new AgentConnectionRefused
    {
        MessageId = Guid.NewGuid(),
        RouterId = options.Value.RouterId,
        RemoteAddress = attempt.Remote?.ToString(),
        Reason = attempt.Refusal.Reason,
        CertificateSerial = attempt.Refusal.CertificateSerial,
        CertificateSubject = attempt.Refusal.CertificateSubject,
        CertificateIssuer = attempt.Refusal.CertificateIssuer,
        ClaimedHolder = attempt.Refusal.ClaimedHolder?.Uri,
        ClaimedVmId = attempt.Refusal.ClaimedHolder is { Kind: HolderKind.Vm } vm ? vm.Id : null,
        Repeated = repeated,
        At = attempt.At,
    });

    private sealed record Attempt(PeerRefusal Refusal, EndPoint? Remote, DateTimeOffset At)
    {
        /// <summary>
        /// Who keeps trying: one certificate (the holder it names and its serial, so an impostor
        /// and the VM's own revoked agent are told apart), else the caller's address without its port.
        /// </summary>
        public string Claimant => Refusal.CertificateSerial is { } serial
            ? $"{Refusal.ClaimedHolder?.Uri ?? "no holder"}|{serial}"
            : (Remote as IPEndPoint)?.Address.ToString() ?? "unknown";
    }
}
