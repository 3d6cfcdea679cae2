using System.Buffers;
using System.Buffers.Binary;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Agents.Contracts.Protocol;

/// <summary>
/// Reads and writes frames: 4-byte big-endian length, then UTF-8 JSON. Shared by agent and bridge.
/// A length above <see cref="MaxFrameBytes"/> is refused before anything is allocated, so a
/// hostile peer cannot make either end reserve memory it named.
/// </summary>
public sealed class FrameCodec(int maxFrameBytes = FrameCodec.DefaultMaxFrameBytes)
{
    public const int DefaultMaxFrameBytes = 1024 * 1024;

    private static readonly JsonTypeInfo<Frame> FrameJson = AgentJson.TypeInfo<Frame>();

    public int MaxFrameBytes { get; } = maxFrameBytes > 0 ? maxFrameBytes : throw new ArgumentOutOfRangeException(nameof(maxFrameBytes));

    public byte[] Encode(Frame frame)
    {
        var json = JsonSerializer.SerializeToUtf8Bytes(frame, FrameJson);
        if (json.Length > MaxFrameBytes) throw new FrameException($"frame of {json.Length} bytes exceeds the limit of {MaxFrameBytes}");
        var buffer = new byte[4 + json.Length];
        BinaryPrimitives.WriteInt32BigEndian(buffer, json.Length);
        json.CopyTo(buffer, 4);
        return buffer;
    }

    /// <summary>Writes one frame. The caller serializes writers on one stream.</summary>
    public async ValueTask WriteAsync(Stream stream, Frame frame, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(stream);
        await stream.WriteAsync(Encode(frame), ct).ConfigureAwait(false);
        await stream.FlushAsync(ct).ConfigureAwait(false);
    }

    /// <summary>Reads one frame; null when the peer closed cleanly between frames.</summary>
    /// <exception cref="FrameException">oversized, truncated or malformed frame.</exception>
    public async ValueTask<Frame?> ReadAsync(Stream stream, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(stream);
        var header = new byte[4];
        var got = await ReadFullyAsync(stream, header, ct).ConfigureAwait(false);
        if (got == 0) return null;
        if (got < 4) throw new FrameException("connection closed inside a frame header");
        var length = BinaryPrimitives.ReadInt32BigEndian(header);
        if (length <= 0) throw new FrameException($"invalid frame length {length}");
        if (length > MaxFrameBytes) throw new FrameException($"frame of {length} bytes exceeds the limit of {MaxFrameBytes}");

        var body = ArrayPool<byte>.Shared.Rent(length);
        try
        {
            var read = await ReadFullyAsync(stream, body.AsMemory(0, length), ct).ConfigureAwait(false);
            if (read < length) throw new FrameException($"connection closed after {read} of {length} frame bytes");
            return Decode(body.AsSpan(0, length));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(body, clearArray: true);
        }
    }

    public static Frame Decode(ReadOnlySpan<byte> json)
    {
        try
        {
            return JsonSerializer.Deserialize(json, FrameJson)
                ?? throw new FrameException("frame is JSON null");
        }
        catch (JsonException e)
        {
            // the JSON reader's message names the position, never echoes the content (frames may hold tokens)
            throw new FrameException($"malformed frame: {e.Message}", e);
        }
        catch (NotSupportedException e)
        {
            throw new FrameException($"unsupported frame: {e.Message}", e);
        }
    }

    private static async ValueTask<int> ReadFullyAsync(Stream stream, Memory<byte> buffer, CancellationToken ct)
    {
        var total = 0;
        while (total < buffer.Length)
        {
            var n = await stream.ReadAsync(buffer[total..], ct).ConfigureAwait(false);
            if (n == 0) break;
            total += n;
        }
        return total;
    }
}
