using Agents.Consumers;
using Agents.Consumers.Audit;
using Agents.Messaging.Hosting;
using Agents.Messaging.Logging;
using Agents.Messaging.Telemetry;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

if (args.Length > 0 && args[0] == AuditExportCommand.Name)
    return await AuditExportCommand.RunAsync(args[1..], Console.Out, Console.Error);
// the audit log or the alert state of a SQLite install copied onto MariaDB
if (args.Length > 0 && args[0] == Agents.Storage.Copying.StoreCopyCommand.Name)
    return await Agents.Storage.Copying.StoreCopyCommand.RunAsync("agents-consumers",
        [Agents.Storage.Audit.AuditStore.Schema, Agents.Consumers.Alerts.AlertGroupStore.Schema], args[1..], Console.Out, Console.Error);

if (ServiceCommandLine.Handle("agents-consumers", $"the audit log and the alert e-mail, from the CloudStack event bus (also: {AuditExportCommand.Name}, the audit log as JSON lines; {Agents.Storage.Copying.StoreCopyCommand.Name}, a SQLite store copied onto MariaDB)", args) is { } exit)
    return exit;
try
{
    // settings: appsettings.json beside the dll, then environment variables (Smtp__Host), then --Smtp:Host=... flags
    var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = args, ContentRootPath = AppContext.BaseDirectory });
    builder.Logging.AddAgentsSerilog(builder.Configuration, "consumers");
    builder.Services.AddAgentsSystemd();
    // MassTransit's own spans and meters (the consumers read the bus through it) beside ours
    builder.Services.AddAgentsTelemetry(builder.Configuration, "agents-consumers", "MassTransit");
    builder.Services.AddAgentsConsumers(builder.Configuration);
    builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(20));
    await builder.Build().RunAsync();
    return 0;
}
catch (Agents.Consumers.Plugins.PluginException e)
{
    await Console.Error.WriteLineAsync($"consumers: {e.Message}");
    return 2;
}
catch (OptionsValidationException e)
{
    await Console.Error.WriteLineAsync($"consumers: invalid settings: {string.Join("; ", e.Failures)}");
    return 2;
}
catch (InvalidOperationException e) when (e.Message.StartsWith("Failed to convert configuration value", StringComparison.Ordinal))
{
    // a value of the wrong type (--Alerts:GroupWaitSeconds=soon): the binder's message names the setting
    await Console.Error.WriteLineAsync($"consumers: invalid settings: {e.Message}");
    return 2;
}
