using System.Buffers;
using System.Text.Json;

namespace Agents.Contracts;

/// <summary>
/// JSON written by hand (event bodies, the agent's journal lines) into one buffer and one
/// <see cref="Utf8JsonWriter"/> kept per thread, so a body costs its exact-size result array and
/// nothing else: a fresh writer over a fresh buffer grew it in 4 KiB steps (the writer asks for at
/// least 4 KiB at a time), which was a quarter of all the bridge allocated in a batched fan-out
/// (docs/benchmarks.md). The write is synchronous, so a thread's buffer serves one body at a time;
/// one grown past <see cref="KeptBytes"/> (a command's large stdout) is dropped after its use.
/// </summary>
public static class ScratchJsonWriter
{
    /// <summary>The largest buffer a thread keeps between bodies.</summary>
    public const int KeptBytes = 64 * 1024;

    [ThreadStatic] private static ArrayBufferWriter<byte>? t_buffer;
    [ThreadStatic] private static Utf8JsonWriter? t_writer;

    /// <summary>
    /// Runs <paramref name="write"/> (a static lambda: no closure) on this thread's writer and returns
    /// what it wrote, with <paramref name="before"/> and <paramref name="after"/> zero bytes around it
    /// for the caller's framing (one array, no second copy).
    /// </summary>
    public static byte[] Write<TState>(TState state, Action<Utf8JsonWriter, TState> write, int before = 0, int after = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(before);
        ArgumentOutOfRangeException.ThrowIfNegative(after);
        ArgumentNullException.ThrowIfNull(write);
        var buffer = t_buffer ??= new ArrayBufferWriter<byte>(4096);
        var writer = t_writer ??= new Utf8JsonWriter(buffer, AgentJson.WriterOptions);
        buffer.ResetWrittenCount();
        writer.Reset(buffer);
        try
        {
            write(writer, state);
            writer.Flush();
            var framed = new byte[before + buffer.WrittenCount + after];
            buffer.WrittenSpan.CopyTo(framed.AsSpan(before));
            return framed;
        }
        finally
        {
            if (buffer.Capacity > KeptBytes) (t_buffer, t_writer) = (null, null);
        }
    }
}
