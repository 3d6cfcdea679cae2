namespace Agents.Contracts.Events;

/// <summary>Whether the condition behind an alert holds (Firing) or has cleared (Resolved).</summary>
public enum AlertState { Firing, Resolved }
