namespace Agents.Messaging;

/// <summary>The broker did not take a message: no queue was bound for it, or it nacked it.</summary>
public sealed class PublishFailedException(string message, Exception? inner = null) : Exception(message, inner);
