using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Hosting.Systemd;

namespace Agents.Messaging.Hosting;

public static class SystemdHosting
{
    /// <summary>Under systemd: <c>Type=notify</c> (READY=1, STOPPING=1, journald's console format) and the watchdog's pings.</summary>
    public static IServiceCollection AddAgentsSystemd(this IServiceCollection services)
    {
        services.AddSystemd();
        // AddSystemd registers its notifier only under systemd; elsewhere there is nothing to ping
        if (SystemdHelpers.IsSystemdService()) services.AddHostedService<SystemdWatchdog>();
        return services;
    }
}
