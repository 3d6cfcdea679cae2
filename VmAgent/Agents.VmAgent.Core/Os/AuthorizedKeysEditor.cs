namespace Agents.VmAgent.Core.Os;

/// <summary>
/// Edits authorized_keys the way CloudStack's guest scripts tag their keys: the managed keys sit
/// between marker lines, so a reset replaces only them and never the user's own keys.
/// </summary>
public static class AuthorizedKeysEditor
{
    public const string BeginMarker = "# BEGIN cloudstack-managed keys (replaced by resetSSHKeyForVirtualMachine)";
    public const string EndMarker = "# END cloudstack-managed keys";

    public static string Merge(string? existing, IReadOnlyList<string> managedKeys)
    {
        ArgumentNullException.ThrowIfNull(managedKeys);
        var kept = new List<string>();
        var inside = false;
        foreach (var line in (existing ?? "").Split('\n'))
        {
            var l = line.TrimEnd('\r');
            if (l == BeginMarker) { inside = true; continue; }
            if (l == EndMarker) { inside = false; continue; }
            if (!inside && l.Length > 0) kept.Add(l);
        }
        kept.Add(BeginMarker);
        kept.AddRange(managedKeys.Select(GuestInput.PublicKey));
        kept.Add(EndMarker);
        return string.Join('\n', kept) + "\n";
    }
}
