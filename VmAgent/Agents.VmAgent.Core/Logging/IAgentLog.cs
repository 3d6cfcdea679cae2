namespace Agents.VmAgent.Core.Logging;

public enum AgentLogLevel { Debug, Information, Warning, Error }

/// <summary>
/// The library's only logging seam: the trimmed agent writes to the console, a host adapts it to
/// ILogger/Serilog. Messages carry ids (command, job, vm) and never secrets.
/// </summary>
public interface IAgentLog
{
    void Write(AgentLogLevel level, string message, Exception? error = null);
}

public static class AgentLogExtensions
{
    public static void Info(this IAgentLog log, string message) => log.Write(AgentLogLevel.Information, message);
    public static void Warn(this IAgentLog log, string message, Exception? error = null) => log.Write(AgentLogLevel.Warning, message, error);
    public static void Error(this IAgentLog log, string message, Exception? error = null) => log.Write(AgentLogLevel.Error, message, error);
    public static void Debug(this IAgentLog log, string message) => log.Write(AgentLogLevel.Debug, message);
}

/// <summary>One line per event on stderr: journald and the Windows service wrapper both keep it.</summary>
public sealed class ConsoleAgentLog(AgentLogLevel minimum = AgentLogLevel.Information) : IAgentLog
{
    private static readonly Lock Gate = new();

    public void Write(AgentLogLevel level, string message, Exception? error = null)
    {
        if (level < minimum) return;
        var tag = level switch { AgentLogLevel.Debug => "DBG", AgentLogLevel.Information => "INF", AgentLogLevel.Warning => "WRN", _ => "ERR" };
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
    public void Write(AgentLogLevel level, string message, Exception? error = null) { }
}
