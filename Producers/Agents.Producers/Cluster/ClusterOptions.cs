using System.ComponentModel.DataAnnotations;

namespace Agents.Producers.Cluster;

/// <summary>
/// Section <c>Producers:Cluster</c>: this API instance as one management server of a cluster on one
/// database (CloudStack's names in docs/operations.md). Every <see cref="HeartbeatIntervalMilliseconds"/>
/// the instance writes its heartbeat to <c>mshost</c> and renews the lease of the jobs it runs to
/// now + <see cref="HeartbeatThresholdMilliseconds"/>; a job whose lease ran out is taken over by
/// another instance.
/// </summary>
public sealed class ClusterOptions
{
    /// <summary>This instance's msid in <c>mshost</c> and the jobs it owns; unset, a new one per start (host name and a random suffix).</summary>
    public string? ManagementServerId { get; set; }

    /// <summary>cluster.heartbeat.interval: milliseconds between heartbeats (and looks for jobs whose lease ran out).</summary>
    public int HeartbeatIntervalMilliseconds { get; set; } = 1500;

    /// <summary>
    /// cluster.heartbeat.threshold: milliseconds a job's lease lasts past its owner's last heartbeat;
    /// a job whose owner stayed silent that long is taken over. CloudStack's default is 150,000 (its
    /// management servers fence themselves after it); here a takeover of a live owner's job costs
    /// only duplicate sends that the agents answer from their journals, so it is shorter.
    /// </summary>
    public int HeartbeatThresholdMilliseconds { get; set; } = 30_000;

    internal IEnumerable<ValidationResult> Check()
    {
        if (HeartbeatIntervalMilliseconds is < 100 or > 600_000)
            yield return Bad(nameof(HeartbeatIntervalMilliseconds), "cluster.heartbeat.interval must be 100..600000 ms");
        if (HeartbeatThresholdMilliseconds < 2 * HeartbeatIntervalMilliseconds || HeartbeatThresholdMilliseconds > 86_400_000)
            yield return Bad(nameof(HeartbeatThresholdMilliseconds), "cluster.heartbeat.threshold must be at least twice cluster.heartbeat.interval and at most 86400000 ms");
        if (ManagementServerId is { } id && (id.Length is 0 or > 64 || id.Any(char.IsWhiteSpace)))
            yield return Bad(nameof(ManagementServerId), "must be 1..64 characters without spaces");
    }

    private static ValidationResult Bad(string name, string text) => new($"Producers:Cluster:{name}: {text}", [name]);
}
