namespace Agents.Contracts.Protocol;

/// <summary>A stream that carries frames, with writes serialized so concurrent results never interleave.</summary>
public sealed class FrameConnection(Stream stream, FrameCodec codec) : IAsyncDisposable
{
    private readonly SemaphoreSlim _writeLock = new(1, 1);

    public Stream Stream => stream;
    public FrameCodec Codec => codec;

    public ValueTask<Frame?> ReadAsync(CancellationToken ct) => codec.ReadAsync(stream, ct);

    /// <summary>The first frame of a connection, within <paramref name="timeout"/>: a peer that stalls holds nothing (OperationCanceledException).</summary>
    public async ValueTask<Frame?> ReadFirstAsync(TimeSpan timeout, CancellationToken ct)
    {
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(ct);
        limit.CancelAfter(timeout);
        return await ReadAsync(limit.Token).ConfigureAwait(false);
    }

    public async Task WriteAsync(Frame frame, CancellationToken ct)
    {
        var bytes = codec.Encode(frame);
        await _writeLock.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            await stream.WriteAsync(bytes, ct).ConfigureAwait(false);
            await stream.FlushAsync(ct).ConfigureAwait(false);
        }
        finally
        {
            _writeLock.Release();
        }
    }

    /// <summary>Best effort: tell the peer why, then close. Never throws.</summary>
    public async Task CloseAsync(string reason)
    {
        try
        {
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            await WriteAsync(new ErrorFrame(reason), cts.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or ObjectDisposedException or NotSupportedException or InvalidOperationException or FrameException)
        {
            // the peer may already be gone; closing is what matters
        }
        await DisposeAsync().ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        try { await stream.DisposeAsync().ConfigureAwait(false); }
        catch (Exception e) when (e is IOException or ObjectDisposedException or NotSupportedException) { }
    }
}
