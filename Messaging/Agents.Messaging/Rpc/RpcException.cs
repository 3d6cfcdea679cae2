namespace Agents.Messaging.Rpc;

/// <summary>A request got no answer: none in time, the connection was lost, or nobody serves the queue. Ask again.</summary>
public sealed class RpcException(string message, Exception? inner = null) : Exception(message, inner);
