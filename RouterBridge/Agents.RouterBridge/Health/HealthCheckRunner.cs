using System.Collections.Concurrent;
using Agents.Contracts;
using Agents.Contracts.Commands;
using Agents.Contracts.Events;
using Agents.VmAgent.Core.Journal;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Agents.RouterBridge.Health;

/// <summary>
/// Runs the router's checks, keeps the last result of each (on disk too, so a failing check is
/// still known as failing after a restart), publishes every result as a ROUTER.HEALTHCHECK
/// ResourceStateEvent, raises an AlertEvent when a check starts failing and a resolved one when
/// it passes again (<see cref="HealthCheckPublisher"/>).
/// </summary>
public sealed class HealthCheckRunner(
    IOptions<BridgeOptions> options,
    BasicHealthChecks basic,
    ScriptHealthChecks scripts,
    HealthCheckPublisher publisher,
    ILogger<HealthCheckRunner> logger)
{
    private readonly ConcurrentDictionary<string, HealthCheckResult> _last = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _oneRunAtATime = new(1, 1);
    private bool _loaded;

    private string RouterId => options.Value.RouterId;
    private string StatePath => Path.Combine(options.Value.DataDirectory, "health-checks.json");

    public IReadOnlyList<HealthCheckResult> LastResults() => _last.Values.OrderBy(r => r.CheckName, StringComparer.Ordinal).ToList();

    public async Task<IReadOnlyList<HealthCheckResult>> RunAsync(HealthCheckType? type, CancellationToken ct)
    {
        await _oneRunAtATime.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            Load();
            var checks = new List<IHealthCheck>();
            if (type is null or HealthCheckType.Basic) checks.AddRange(basic.All());
            if (type is null or HealthCheckType.Advanced) checks.AddRange(scripts.All());
            var results = new List<HealthCheckResult>();
            foreach (var check in checks)
            {
                HealthCheckResult result;
                try { result = await check.RunAsync(ct).ConfigureAwait(false); }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    result = new HealthCheckResult(check.Name, check.Type, false, $"the check itself failed: {e.Message}", DateTimeOffset.UtcNow);
                }
                var previous = _last.GetValueOrDefault(result.CheckName);
                _last[result.CheckName] = result;
                results.Add(result);
                await publisher.PublishAsync(HealthCheckPublisher.Subject.Router(RouterId), result, previous).ConfigureAwait(false);
            }
            Save();
            return results;
        }
        finally
        {
            _oneRunAtATime.Release();
        }
    }

    private void Load()
    {
        if (_loaded) return;
        _loaded = true;
        if (!File.Exists(StatePath)) return;
        try
        {
            foreach (var result in AgentJson.Deserialize<List<HealthCheckResult>>(File.ReadAllBytes(StatePath)))
                _last[result.CheckName] = result;
        }
        catch (InvalidMessageException e)
        {
            logger.LogWarning("Ignoring unreadable {Path}: {Error}", StatePath, e.Message);
        }
    }

    private void Save()
    {
        DurableFile.Write(StatePath, AgentJson.ToUtf8(LastResults().ToList()));
    }
}
