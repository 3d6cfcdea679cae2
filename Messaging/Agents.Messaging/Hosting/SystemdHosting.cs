using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Agents.Messaging.Hosting;

public static class SystemdHosting
{
    /// <summary>Under systemd: <c>Type=notify</c> (READY=1, STOPPING=1, journald's console format) and the watchdog's pings.</summary>
    public static IServiceCollection AddAgentsSystemd(this IServiceCollection services)
    {
        services.AddSystemd();
        services.AddHostedService<SystemdWatchdog>();
        return services;
    }
}
