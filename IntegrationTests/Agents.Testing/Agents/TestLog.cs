using System.Collections.Concurrent;
using Agents.VmAgent.Core.Logging;
using Microsoft.Extensions.Logging;

namespace Agents.Testing;

/// <summary>
/// Keeps log lines so tests can assert reasons were logged and secrets were not: the agent
/// library's lines (IAgentLog) and the bridge's (ILogger, rendered from its message templates).
/// </summary>
public sealed class TestLog(string name) : IAgentLog, ILoggerFactory, ILogger
{
    public ConcurrentQueue<string> Lines { get; } = new();

    public void Write(AgentLogLevel level, Exception? error, string template, params object?[] values) =>
        Lines.Enqueue($"[{name}] {level}: {MessageTemplate.Render(template, values)}{(error is null ? "" : $" ({error.GetType().Name}: {error.Message})")}");

    public bool Contains(string text) => Lines.Any(l => l.Contains(text, StringComparison.Ordinal));

    public string All => string.Join('\n', Lines);

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        ArgumentNullException.ThrowIfNull(formatter);
        Lines.Enqueue($"[{name}] {logLevel}: {formatter(state, exception)}{(exception is null ? "" : $" ({exception.GetType().Name}: {exception.Message})")}");
    }

    public bool IsEnabled(LogLevel logLevel) => true;

    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

    public ILogger CreateLogger(string categoryName) => this;

    public void AddProvider(ILoggerProvider provider) { }

    public void Dispose() { }
}
