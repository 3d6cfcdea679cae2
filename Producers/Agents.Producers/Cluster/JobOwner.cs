namespace Agents.Producers.Cluster;

/// <summary>The management server that creates a job runs it (<c>job_init_msid</c>, <c>job_executing_msid</c>), its lease until <see cref="Until"/>.</summary>
public sealed record JobOwner(string Msid, DateTimeOffset Until);
