using Agents.VmAgent.Core.Logging;
using Microsoft.Extensions.Logging;

namespace Agents.RouterBridge.Hosting;

/// <summary>The agent library's logging seam, written to the host's logger (Serilog): its message templates and their values as they are, so they stay named properties.</summary>
public sealed class SerilogAgentLog(ILogger<SerilogAgentLog> logger) : IAgentLog
{
    public void Write(AgentLogLevel level, Exception? error, string template, params object?[] values)
    {
        var mapped = level switch
        {
            AgentLogLevel.Debug => LogLevel.Debug,
            AgentLogLevel.Information => LogLevel.Information,
            AgentLogLevel.Warning => LogLevel.Warning,
            _ => LogLevel.Error,
        };
#pragma warning disable CA2254 // a template, constant at each call site in the agent library
        logger.Log(mapped, error, template, values);
#pragma warning restore CA2254
    }
}
