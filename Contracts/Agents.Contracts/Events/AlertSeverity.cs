namespace Agents.Contracts.Events;

public enum AlertSeverity { Info, Warning, Critical }
