using System.Collections.Concurrent;
using Agents.VmAgent.Core.Logging;

namespace Agents.Testing;

/// <summary>Keeps log lines so tests can assert reasons were logged and secrets were not.</summary>
public sealed class TestLog(string name) : IAgentLog
{
    public ConcurrentQueue<string> Lines { get; } = new();

    public void Write(AgentLogLevel level, string message, Exception? error = null) =>
        Lines.Enqueue($"[{name}] {level}: {message}{(error is null ? "" : $" ({error.GetType().Name}: {error.Message})")}");

    public bool Contains(string text) => Lines.Any(l => l.Contains(text, StringComparison.Ordinal));

    public string All => string.Join('\n', Lines);
}
