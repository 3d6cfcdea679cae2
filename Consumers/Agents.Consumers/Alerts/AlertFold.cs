namespace Agents.Consumers.Alerts;

/// <summary>What recording one firing alert did to its group.</summary>
public enum AlertFold
{
    /// <summary>It opened a group (a new episode): an e-mail follows after the group wait.</summary>
    Opened,
    /// <summary>It joined a group still in its wait: it goes out in that group's first e-mail, not in one of its own.</summary>
    Grouped,
    /// <summary>It joined a group already e-mailed: no e-mail until the repeat interval (the throttle).</summary>
    Throttled,
}
