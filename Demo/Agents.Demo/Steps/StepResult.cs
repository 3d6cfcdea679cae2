namespace Agents.Demo.Steps;

/// <summary>One line of the demo's closing table.</summary>
public sealed record StepResult(string Step, bool Done, string Detail, TimeSpan Elapsed);

/// <summary>A step whose outcome differs from what it should have been.</summary>
public sealed class StepFailedException(string message) : Exception(message);
