using Agents.VmAgent.Core.Logging;
using Microsoft.Extensions.Logging;

namespace Agents.RouterBridge.Hosting;

/// <summary>The agent library's logging seam, written to the host's logger (Serilog).</summary>
public sealed class SerilogAgentLog(ILogger<SerilogAgentLog> logger) : IAgentLog
{
    public void Write(AgentLogLevel level, string message, Exception? error = null)
    {
        var mapped = level switch
        {
            AgentLogLevel.Debug => LogLevel.Debug,
            AgentLogLevel.Information => LogLevel.Information,
            AgentLogLevel.Warning => LogLevel.Warning,
            _ => LogLevel.Error,
        };
#pragma warning disable CA2254 // the library composes its own messages with the ids in them
        logger.Log(mapped, error, message);
#pragma warning restore CA2254
    }
}
