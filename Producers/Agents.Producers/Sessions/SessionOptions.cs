namespace Agents.Producers.Sessions;

/// <summary>Sign-in sessions (section <c>Producers:Sessions</c>).</summary>
public sealed class SessionOptions
{
    /// <summary>A session unused this long is over (CloudStack's session timeout, 30 minutes); login answers it in seconds as <c>timeout</c>.</summary>
    public int IdleTimeoutMinutes { get; set; } = 30;

    /// <summary>Mark the cookies Secure (the API behind HTTPS); on when the API itself listens on https.</summary>
    public bool SecureCookies { get; set; }

    /// <summary>Failed logins of one user name (or from one address) answered at once before each further one is slowed down.</summary>
    public int FreeLoginFailures { get; set; } = 3;

    /// <summary>The longest delay of a failed login, seconds (it doubles from 1 s after the free failures).</summary>
    public int MaxLoginDelaySeconds { get; set; } = 16;
}
