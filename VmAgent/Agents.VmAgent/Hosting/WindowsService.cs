using System.Runtime.Versioning;
using Agents.VmAgent.Core.Logging;
using Agents.VmAgent.Settings;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Hosting.WindowsServices;

namespace Agents.VmAgent.Hosting;

/// <summary>
/// Runs the agent under the Windows service control manager through
/// Microsoft.Extensions.Hosting.WindowsServices (an empty host: no configuration or logging
/// providers beyond what the service lifetime needs). Logs go to DATA-DIR\agent.log (a service
/// has no console). Only reached on Windows, so the Linux NativeAOT binary trims it away.
/// </summary>
[SupportedOSPlatform("windows")]
internal static class WindowsService
{
    public const string ServiceName = "AgentsVmAgent";

    public static int Run(AgentConfiguration config)
    {
        if (!WindowsServiceHelpers.IsWindowsService())
        {
            Console.Error.WriteLine("--service: not started by the service control manager; run without --service in a console");
            return 1;
        }
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Services.AddWindowsService(o => o.ServiceName = ServiceName);
        builder.Services.AddSingleton(config);
        builder.Services.AddSingleton<AgentService>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<AgentService>());
        using var host = builder.Build();
        host.Run();
        return host.Services.GetRequiredService<AgentService>().ExitCode;
    }

    /// <summary>The agent as the host's one background service; its end ends the service (with its exit code).</summary>
    private sealed class AgentService(AgentConfiguration config, IHostApplicationLifetime lifetime) : BackgroundService
    {
        public int ExitCode { get; private set; }

        protected override async Task ExecuteAsync(CancellationToken stoppingToken)
        {
            using var logFile = OpenLog(config.Client.DataDirectory);
            Console.SetError(logFile);
            var log = new ConsoleAgentLog(config.LogLevel);
            try
            {
                ExitCode = await AgentRunner.RunAsync(config, log, stoppingToken).ConfigureAwait(false);
            }
#pragma warning disable CA1031 // report the failure to the service manager instead of vanishing
            catch (Exception e)
#pragma warning restore CA1031
            {
                log.Error(e, "agent stopped by an unexpected error");
                ExitCode = 1;
            }
            Environment.ExitCode = ExitCode;
            lifetime.StopApplication();
        }
    }

    private static StreamWriter OpenLog(string dataDirectory)
    {
        var path = Path.Combine(dataDirectory, "agent.log");
        // one generation kept: the service must never fill the disk
        if (File.Exists(path) && new FileInfo(path).Length > 10 * 1024 * 1024) File.Move(path, path + ".1", overwrite: true);
        return new StreamWriter(new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite)) { AutoFlush = true };
    }
}
