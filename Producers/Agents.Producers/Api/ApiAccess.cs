namespace Agents.Producers.Api;

/// <summary>Who may call a handler: every signed-in caller, an admin only, or anyone (login).</summary>
public enum ApiAccess
{
    User,
    Admin,
    Anonymous,
}
