namespace Agents.WebConsole.Formatting;

public enum Severity { None, Ok, Warning, Error }
