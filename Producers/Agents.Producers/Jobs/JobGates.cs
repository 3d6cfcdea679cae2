namespace Agents.Producers.Jobs;

/// <summary>
/// One lock per job in this instance: a job's pumps, outcomes, retries, cancel and takeover run one
/// at a time, and different jobs run at once. (Across instances the store's conditional moves decide.)
/// A job's lock exists only while someone holds or waits for it.
/// </summary>
public sealed class JobGates
{
    private readonly Dictionary<Guid, Gate> _gates = [];

    /// <summary>Waits for <paramref name="jobId"/>'s lock; disposing the result releases it.</summary>
    public async Task<Held> EnterAsync(Guid jobId)
    {
        Gate gate;
        lock (_gates)
        {
            if (!_gates.TryGetValue(jobId, out gate!)) _gates[jobId] = gate = new Gate();
            gate.Users++;
        }
        try
        {
            await gate.Semaphore.WaitAsync().ConfigureAwait(false);
        }
        catch
        {
            Leave(jobId, gate, entered: false);
            throw;
        }
        return new Held(this, jobId, gate);
    }

    /// <summary>How many jobs have a lock now (held or waited for).</summary>
    public int Count
    {
        get { lock (_gates) return _gates.Count; }
    }

    private void Leave(Guid jobId, Gate gate, bool entered)
    {
        if (entered) gate.Semaphore.Release();
        lock (_gates)
        {
            if (--gate.Users > 0) return;
            _gates.Remove(jobId);
        }
        gate.Dispose();
    }

    internal sealed class Gate : IDisposable
    {
        public SemaphoreSlim Semaphore { get; } = new(1, 1);
        /// <summary>Holders and waiters, under the dictionary's lock.</summary>
        public int Users { get; set; }
        public void Dispose() => Semaphore.Dispose();
    }

    /// <summary>A held job lock.</summary>
    public readonly struct Held : IDisposable
    {
        private readonly JobGates _owner;
        private readonly Guid _jobId;
        private readonly Gate _gate;

        internal Held(JobGates owner, Guid jobId, Gate gate) => (_owner, _jobId, _gate) = (owner, jobId, gate);

        public void Dispose() => _owner?.Leave(_jobId, _gate, entered: true);
    }
}
