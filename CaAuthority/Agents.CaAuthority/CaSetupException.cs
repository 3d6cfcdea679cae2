namespace Agents.CaAuthority;

/// <summary>The CA cannot start as configured (passphrase missing or wrong, unreadable key): the message says what to fix.</summary>
public sealed class CaSetupException(string message, Exception? inner = null) : Exception(message, inner);
