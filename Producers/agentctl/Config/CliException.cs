namespace Agents.Cli.Config;

/// <summary>A usage or configuration problem: printed as one line, exit code 2.</summary>
public sealed class CliException : Exception
{
    public CliException() { }
    public CliException(string message) : base(message) { }
    public CliException(string message, Exception innerException) : base(message, innerException) { }
}
