namespace Agents.Producers.Jobs;

/// <summary>Per-target statuses, as the job result shows them. Retrying is in flight: shown as InProgress.</summary>
public enum TargetStatus { Pending, InProgress, Retrying, Success, Failed, Rejected, DeliveryTimedOut, ExecutionTimedOut, Cancelled }
