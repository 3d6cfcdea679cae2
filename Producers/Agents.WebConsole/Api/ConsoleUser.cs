namespace Agents.WebConsole.Api;

/// <summary>
/// A signed-in user as the API sees it. <see cref="IsAdmin"/> only decides what the console offers;
/// what the user may do is decided by the API on every call. <see cref="Caller"/> is the API's own
/// caller object, handed back to <see cref="IConsoleApi.CallAsync"/> untouched.
/// </summary>
public sealed record ConsoleUser(string UserName, string Account, bool IsAdmin, object Caller);
