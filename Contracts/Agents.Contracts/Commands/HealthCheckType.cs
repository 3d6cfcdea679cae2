namespace Agents.Contracts.Commands;

/// <summary>CloudStack's router health check types.</summary>
public enum HealthCheckType { Basic, Advanced }
