namespace Agents.Messaging;

/// <summary>Whether the service's one broker connection is open: for readiness and health checks.</summary>
public interface IBrokerStatus
{
    bool IsConnected { get; }

    /// <summary>The broker's URI with its password masked.</summary>
    string Broker { get; }
}
