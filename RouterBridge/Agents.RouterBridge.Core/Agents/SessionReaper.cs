namespace Agents.RouterBridge.Core.Agents;

/// <summary>Closes sessions silent for longer than the heartbeat timeout (agents beat every 30 s), checking three times per timeout.</summary>
internal sealed class SessionReaper(AgentRegistry registry, TimeSpan heartbeatTimeout)
{
    private Task? _loop;

    public void Start(CancellationToken stopping) => _loop = LoopAsync(stopping);

    public Task StopAsync() => _loop ?? Task.CompletedTask;

    private async Task LoopAsync(CancellationToken ct)
    {
        using var timer = new PeriodicTimer(heartbeatTimeout / 3);
        try
        {
            while (await timer.WaitForNextTickAsync(ct).ConfigureAwait(false)) registry.ReapSilent(heartbeatTimeout);
        }
        catch (OperationCanceledException) { }
    }
}
