namespace Agents.Console.Formatting;

public enum Severity { None, Ok, Warning, Error }
