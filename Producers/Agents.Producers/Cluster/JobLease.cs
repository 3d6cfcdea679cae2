namespace Agents.Producers.Cluster;

/// <summary>An unfinished job whose lease ran out: who ran it (null: nobody yet) and when its lease ended (for a job nobody owned, its creation plus the lease).</summary>
public sealed record JobLease(Guid JobId, string? Owner, DateTimeOffset Expired);
