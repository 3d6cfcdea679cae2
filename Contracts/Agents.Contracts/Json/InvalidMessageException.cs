namespace Agents.Contracts;

/// <summary>A message that cannot be read as its contract: it goes to the dead-letter queue, it is never retried.</summary>
public sealed class InvalidMessageException(string message, Exception? inner = null) : Exception(message, inner);
