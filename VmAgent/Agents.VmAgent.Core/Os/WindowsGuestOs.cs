using System.Text;
using Agents.VmAgent.Core.Journal;

namespace Agents.VmAgent.Core.Os;

/// <summary>The real Windows VM: <c>net user</c> and the OpenSSH server's per-user authorized_keys.</summary>
public sealed class WindowsGuestOs : IGuestOs
{
    public string Name => "windows";

    public IReadOnlyDictionary<string, string> RecipeEnvironment { get; } = new Dictionary<string, string>();

    public async Task SetPasswordAsync(string username, string password, CancellationToken ct)
    {
        GuestInput.Username(username);
        GuestInput.Password(password);
        // net user has no stdin mode; the argument is visible only to local administrators for the call's duration
        var net = Path.Combine(Environment.SystemDirectory, "net.exe");
        var (code, error) = await ProcessTool.RunAsync(net, ["user", username, password], null, ct).ConfigureAwait(false);
        if (code != 0) throw new InvalidOperationException($"net user failed with exit code {code}: {error.Trim()}");
    }

    public Task SetAuthorizedKeysAsync(string username, IReadOnlyList<string> publicKeys, CancellationToken ct)
    {
        GuestInput.Username(username);
        var profiles = Path.GetDirectoryName(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile)) ?? @"C:\Users";
        var path = Path.Combine(profiles, username, ".ssh", "authorized_keys");
        var existing = File.Exists(path) ? File.ReadAllText(path) : null;
        DurableFile.Write(path, Encoding.UTF8.GetBytes(AuthorizedKeysEditor.Merge(existing, publicKeys)));
        return Task.CompletedTask;
    }
}
