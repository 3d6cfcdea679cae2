using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Agents.ReliabilityTests.Support;

/// <summary>Keeps what the messaging kit logs, so a test can count resends and reconnects and show the last lines when it fails.</summary>
public sealed class LogSink
{
    private readonly ConcurrentQueue<string> _lines = new();
    private int _warnings;

    public int Warnings => Volatile.Read(ref _warnings);

    public ILogger<T> For<T>() => new Logger<T>(this);

    public int Count(string text) => _lines.Count(l => l.Contains(text, StringComparison.Ordinal));

    public string Tail(int lines = 40) => string.Join('\n', _lines.TakeLast(lines));

    private void Add(LogLevel level, string line)
    {
        if (level >= LogLevel.Warning) Interlocked.Increment(ref _warnings);
        _lines.Enqueue($"{DateTime.UtcNow:HH:mm:ss.fff} {level}: {line}");
        while (_lines.Count > 20_000) _lines.TryDequeue(out _);
    }

    /// <summary>
    /// One line per entry: 7.1.2's close reasons carry a whole stack trace, which would push everything else out of
    /// a tail. The first and last lines stay (the kit's message goes on after the exception's text: "sending again").
    /// </summary>
    private static string OneLine(string text)
    {
        var first = text.IndexOf('\n');
        if (first < 0) return text;
        var last = text.LastIndexOf('\n');
        return $"{text[..first].TrimEnd()} [...] {text[(last + 1)..].Trim()}";
    }

    private sealed class Logger<T>(LogSink sink) : ILogger<T>
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!IsEnabled(logLevel)) return;
            sink.Add(logLevel, OneLine($"{typeof(T).Name}: {formatter(state, exception)}{(exception is null ? "" : " " + exception.Message)}"));
        }
    }
}
