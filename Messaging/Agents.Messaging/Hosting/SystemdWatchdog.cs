using System.Globalization;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Hosting.Systemd;
using Microsoft.Extensions.Logging;

namespace Agents.Messaging.Hosting;

/// <summary>
/// Keeps systemd's watchdog (<c>WatchdogSec=</c> in the unit) fed: <c>WATCHDOG=1</c> at half the
/// interval systemd passes in <c>WATCHDOG_USEC</c>. Microsoft.Extensions.Hosting.Systemd sends
/// READY=1 and STOPPING=1 but no watchdog pings (dotnet/extensions#1241), so this does, through the
/// library's own <see cref="ISystemdNotifier"/>. A process whose thread pool or timers are stuck
/// stops pinging, and systemd restarts it. Outside systemd, or without a watchdog, it does nothing.
/// </summary>
public sealed class SystemdWatchdog(ISystemdNotifier notifier, ILogger<SystemdWatchdog> logger) : BackgroundService
{
    private static readonly ServiceState Ping = new("WATCHDOG=1");

    /// <summary>The ping interval for the watchdog variables systemd sets; null when no watchdog is asked of this process.</summary>
    public static TimeSpan? IntervalFor(string? watchdogUsec, string? watchdogPid, int processId)
    {
        if (!long.TryParse(watchdogUsec, NumberStyles.None, CultureInfo.InvariantCulture, out var usec) || usec <= 0) return null;
        // WATCHDOG_PID names the process the watchdog is meant for; a child that inherited the variable is not it
        if (!string.IsNullOrEmpty(watchdogPid) && watchdogPid != processId.ToString(CultureInfo.InvariantCulture)) return null;
        return TimeSpan.FromTicks(usec * 10 / 2);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!notifier.IsEnabled) return;
        if (IntervalFor(Environment.GetEnvironmentVariable("WATCHDOG_USEC"), Environment.GetEnvironmentVariable("WATCHDOG_PID"), Environment.ProcessId) is not { } interval)
            return;
        logger.LogInformation("systemd watchdog: pinging every {WatchdogInterval}", interval);
        using var timer = new PeriodicTimer(interval);
        try
        {
            do notifier.Notify(Ping);
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // stopping: systemd has had STOPPING=1
        }
    }
}
