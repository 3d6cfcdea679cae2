using Agents.Contracts;

namespace Agents.Messaging.Rpc;

/// <summary>An answer to a request: its AMQP type names the response contract.</summary>
public sealed record RpcReply(string Type, ReadOnlyMemory<byte> Body)
{
    public T Read<T>() => AgentJson.Deserialize<T>(Body.Span);
}
