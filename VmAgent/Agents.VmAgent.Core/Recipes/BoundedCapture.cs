using System.Text;

namespace Agents.VmAgent.Core.Recipes;

/// <summary>Drains a process stream to the end but keeps only the first <c>limitBytes</c>, so a chatty recipe cannot fill memory or block on a full pipe.</summary>
internal sealed class BoundedCapture(int limitBytes)
{
    private readonly StringBuilder _text = new();
    private int _bytes;
    private bool _truncated;

    public async Task DrainAsync(StreamReader reader)
    {
        var buffer = new char[4096];
        int n;
        while ((n = await reader.ReadAsync(buffer).ConfigureAwait(false)) > 0)
        {
            if (_truncated) continue;
            var chunk = buffer.AsSpan(0, n);
            var bytes = Encoding.UTF8.GetByteCount(chunk);
            if (_bytes + bytes <= limitBytes)
            {
                _text.Append(chunk);
                _bytes += bytes;
                continue;
            }
            foreach (var c in chunk)
            {
                var size = Encoding.UTF8.GetByteCount([c]);
                if (_bytes + size > limitBytes) break;
                _text.Append(c);
                _bytes += size;
            }
            _truncated = true;
        }
    }

    public override string ToString() => _truncated ? _text + "\n[truncated]" : _text.ToString();
}
