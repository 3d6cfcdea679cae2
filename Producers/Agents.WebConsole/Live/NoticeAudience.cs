using Agents.WebConsole.Api;

namespace Agents.WebConsole.Live;

/// <summary>
/// May this user receive a notice? An admin receives every one; a user those of its own account's jobs
/// and of the VMs the API lists for it (asked once per VM and connection); nothing else.
/// </summary>
public sealed class NoticeAudience(IConsoleApi api, ConsoleUser user)
{
    private readonly Dictionary<string, bool> _visibleVms = new(StringComparer.Ordinal);

    public async Task<bool> AllowsAsync(LiveNotice notice, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(notice);
        if (user.IsAdmin) return true;
        if (notice.Account is not null) return string.Equals(notice.Account, user.Account, StringComparison.Ordinal);
        if (notice.VmId is null) return false;
        if (!_visibleVms.TryGetValue(notice.VmId, out var visible))
        {
            visible = await SeesVmAsync(notice.VmId, ct).ConfigureAwait(false);
            if (_visibleVms.Count > 10_000) _visibleVms.Clear();
            _visibleVms[notice.VmId] = visible;
        }
        return visible;
    }

    private async Task<bool> SeesVmAsync(string vmId, CancellationToken ct)
    {
        try
        {
            var reply = await api.CallAsync(user, "listVirtualMachines", new Dictionary<string, string> { ["id"] = vmId }, ct).ConfigureAwait(false);
            return ApiReply.Count(reply) > 0;
        }
        catch (ConsoleApiException)
        {
            return false;
        }
    }
}
