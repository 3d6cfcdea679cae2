namespace Agents.Testing;

/// <summary>What a program run to its end left: its exit code and its two outputs.</summary>
public sealed record ProcessResult(int ExitCode, string Stdout, string Stderr)
{
    public string Output => Stdout + Stderr;
}
