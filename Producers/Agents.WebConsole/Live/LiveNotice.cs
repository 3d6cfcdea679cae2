namespace Agents.WebConsole.Live;

/// <summary>
/// One thing the console tells a signed-in browser: a toast (<see cref="Toast"/> true) or only a hint that
/// a page showing <see cref="Topic"/> should refresh. <see cref="Account"/> or <see cref="VmId"/> decide who
/// may receive it; with neither, only admins do.
/// </summary>
/// <param name="Kind">job, router-health, agent, certificate, alert.</param>
/// <param name="Topic">What changed, as pages name it: <c>job:&lt;id&gt;</c>, <c>vm:&lt;id&gt;</c>, <c>router:&lt;id&gt;</c>.</param>
/// <param name="Level">info, success, warning, error.</param>
public sealed record LiveNotice(string Kind, string Topic, string Level, string Title, string Text, bool Toast)
{
    public string? Account { get; init; }
    public string? VmId { get; init; }
    /// <summary>Where the browser goes for more: a console path.</summary>
    public string? Link { get; init; }
}
