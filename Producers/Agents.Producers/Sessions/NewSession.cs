namespace Agents.Producers.Sessions;

/// <summary>A session just made: the only time its id and key exist in the clear (for the cookies and the loginresponse).</summary>
public sealed record NewSession(string Id, string Key, ApiSession Session);
