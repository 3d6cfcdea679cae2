namespace Agents.VmAgent.Core.Logging;

public enum AgentLogLevel { Debug, Information, Warning, Error }

/// <summary>
/// The library's only logging seam: the trimmed agent writes to the console, a host adapts it to
/// ILogger/Serilog. Every call is a message template with named holes (<c>"command {CommandId}
/// answered {Outcome}"</c>) and its values in order, never a string built beforehand: a host
/// keeps the values as properties. Messages carry ids (command, job, vm) and never secrets.
/// </summary>
public interface IAgentLog
{
    void Write(AgentLogLevel level, Exception? error, string template, params object?[] values);
}

public static class AgentLogExtensions
{
    public static void Info(this IAgentLog log, string template, params object?[] values) => log.Write(AgentLogLevel.Information, null, template, values);
    public static void Warn(this IAgentLog log, string template, params object?[] values) => log.Write(AgentLogLevel.Warning, null, template, values);
    public static void Warn(this IAgentLog log, Exception error, string template, params object?[] values) => log.Write(AgentLogLevel.Warning, error, template, values);
    public static void Error(this IAgentLog log, string template, params object?[] values) => log.Write(AgentLogLevel.Error, null, template, values);
    public static void Error(this IAgentLog log, Exception error, string template, params object?[] values) => log.Write(AgentLogLevel.Error, error, template, values);
    public static void Debug(this IAgentLog log, string template, params object?[] values) => log.Write(AgentLogLevel.Debug, null, template, values);
}

/// <summary>One line per event on stderr: journald and the Windows service wrapper both keep it.</summary>
public sealed class ConsoleAgentLog(AgentLogLevel minimum = AgentLogLevel.Information) : IAgentLog
{
    private static readonly Lock Gate = new();

    public void Write(AgentLogLevel level, Exception? error, string template, params object?[] values)
    {
        if (level < minimum) return;
        var tag = level switch { AgentLogLevel.Debug => "DBG", AgentLogLevel.Information => "INF", AgentLogLevel.Warning => "WRN", _ => "ERR" };
        var message = MessageTemplate.Render(template, values);
        var line = error is null
            ? $"{DateTimeOffset.UtcNow:O} [{tag}] {message}"
            : $"{DateTimeOffset.UtcNow:O} [{tag}] {message} ({error.GetType().Name}: {error.Message})";
        lock (Gate) Console.Error.WriteLine(line);
    }
}

/// <summary>For tests and hosts that do not want output.</summary>
public sealed class NullAgentLog : IAgentLog
{
    public static NullAgentLog Instance { get; } = new();
    public void Write(AgentLogLevel level, Exception? error, string template, params object?[] values) { }
}
