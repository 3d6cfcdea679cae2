namespace Agents.VmAgent.Core.Logging;

/// <summary>
/// The log of one command that came with a trace: every line gets <c>(trace {TraceId})</c>, the
/// named property that ties it to the API's and the bridge's lines of the same command.
/// </summary>
public sealed class TracedAgentLog(IAgentLog inner, string traceId) : IAgentLog
{
    public void Write(AgentLogLevel level, Exception? error, string template, params object?[] values) =>
        inner.Write(level, error, template + " (trace {TraceId})", [.. values, traceId]);
}

public static class TracedAgentLogExtensions
{
    /// <summary><paramref name="log"/> with the trace id on every line; itself when <paramref name="traceId"/> is null.</summary>
    public static IAgentLog WithTrace(this IAgentLog log, string? traceId) => traceId is null ? log : new TracedAgentLog(log, traceId);
}
