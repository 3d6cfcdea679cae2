namespace Agents.Contracts.Events;

/// <summary>An event that cannot be read as its contract: a subscriber dead-letters it, it is never retried.</summary>
public sealed class InvalidEventException(string message) : Exception(message);
