namespace Agents.Contracts.Protocol;

/// <summary>The peer sent something that is not a valid frame; the connection is closed with this reason.</summary>
public sealed class FrameException : Exception
{
    public FrameException() { }
    public FrameException(string message) : base(message) { }
    public FrameException(string message, Exception inner) : base(message, inner) { }
}
