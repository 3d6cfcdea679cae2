using Microsoft.Extensions.Options;

namespace Agents.Producers.Jobs;

/// <summary>
/// Every half of <see cref="ProvisioningOptions.TakeoverAfterSeconds"/>, <see cref="JobEngine.SweepAsync"/>:
/// with several API instances on one database, the jobs of an instance that died go on through
/// the others (as CloudStack's management servers take over a dead peer's jobs).
/// </summary>
public sealed class JobSweeper(JobEngine engine, IOptions<ProducersOptions> options, ILogger<JobSweeper> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var every = TimeSpan.FromSeconds(Math.Max(1, options.Value.Provisioning.TakeoverAfterSeconds / 2.0));
        using var timer = new PeriodicTimer(every);
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
        {
            try
            {
                await engine.SweepAsync(stoppingToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // the database or the broker away: the next sweep tries again
                logger.LogWarning("Job sweep failed: {Error}", e.Message);
            }
        }
    }
}
