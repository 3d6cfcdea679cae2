namespace Agents.Messaging.Health;

/// <summary>Section <c>Health</c> of the services without their own HTTP listener (consumers, bridge).</summary>
public sealed class HealthOptions
{
    public const string Section = "Health";

    /// <summary>Where <c>/health/live</c> and <c>/health/ready</c> are served, e.g. <c>http://127.0.0.1:8093</c>; empty: not served.</summary>
    public string? Url { get; set; }
}
