namespace Agents.VmAgent.Settings;

/// <summary>A bad setting: the message names it. The program prints it and exits with code 2.</summary>
public sealed class SettingsException : Exception
{
    public SettingsException(string setting, string problem) : base($"setting '{setting}': {problem}") => Setting = setting;

    public SettingsException() { }

    public SettingsException(string message) : base(message) { }

    public SettingsException(string message, Exception innerException) : base(message, innerException) { }

    public string? Setting { get; }
}
