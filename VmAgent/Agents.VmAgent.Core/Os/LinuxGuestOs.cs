using System.Runtime.Versioning;
using System.Text;
using Agents.VmAgent.Core.Crypto;
using Agents.VmAgent.Core.Journal;

namespace Agents.VmAgent.Core.Os;

/// <summary>The real Linux VM: chpasswd (fallback usermod -p with a $6$ hash) and the user's ~/.ssh.</summary>
[UnsupportedOSPlatform("windows")]
public sealed class LinuxGuestOs : IGuestOs
{
    public string Name => "linux";

    public IReadOnlyDictionary<string, string> RecipeEnvironment { get; } = new Dictionary<string, string>();

    public async Task SetPasswordAsync(string username, string password, CancellationToken ct)
    {
        GuestInput.Username(username);
        GuestInput.Password(password);
        // chpasswd reads the password on stdin: it never appears on a command line
        if (ProcessTool.FindOnPath("chpasswd") is { } chpasswd)
        {
            var (code, _) = await ProcessTool.RunAsync(chpasswd, [], $"{username}:{password}\n", ct).ConfigureAwait(false);
            if (code == 0) return;
        }
        var usermod = ProcessTool.FindOnPath("usermod") ?? throw new InvalidOperationException("neither chpasswd nor usermod is available");
        var (exit, error) = await ProcessTool.RunAsync(usermod, ["-p", Sha512Crypt.Hash(password), username], null, ct).ConfigureAwait(false);
        if (exit != 0) throw new InvalidOperationException($"usermod failed with exit code {exit}: {error.Trim()}");
    }

    public Task SetAuthorizedKeysAsync(string username, IReadOnlyList<string> publicKeys, CancellationToken ct)
    {
        GuestInput.Username(username);
        var user = PasswdEntry.Find("/etc/passwd", username) ?? throw new InvalidOperationException($"no such user '{username}'");
        var sshDir = Path.Combine(user.Home, ".ssh");
        if (!Directory.Exists(sshDir))
        {
            Directory.CreateDirectory(sshDir, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            _ = Libc.Chown(sshDir, user.Uid, user.Gid);
        }
        var path = Path.Combine(sshDir, "authorized_keys");
        var existing = File.Exists(path) ? File.ReadAllText(path) : null;
        DurableFile.Write(path, Encoding.UTF8.GetBytes(AuthorizedKeysEditor.Merge(existing, publicKeys)));
        if (Libc.Chown(path, user.Uid, user.Gid) != 0)
            throw new InvalidOperationException($"could not give {path} to {username}");
        return Task.CompletedTask;
    }
}
