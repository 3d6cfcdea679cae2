using System.Text;
using Agents.VmAgent.Core.Crypto;
using Agents.VmAgent.Core.Journal;

namespace Agents.VmAgent.Core.Os;

/// <summary>
/// A pretend VM under <see cref="Root"/>: passwords go to <c>Root/etc/shadow</c> as SHA-512 crypt
/// hashes, keys to <c>Root/home/USER/.ssh/authorized_keys</c> (root: <c>Root/root</c>).
/// The same validation as the real systems applies, so the sandbox is an honest stand-in.
/// </summary>
public sealed class SandboxGuestOs(string root) : IGuestOs
{
    private static readonly Lock ShadowGate = new();

    public string Root { get; } = Path.GetFullPath(root);

    public string Name => "sandbox";

    public IReadOnlyDictionary<string, string> RecipeEnvironment => new Dictionary<string, string> { ["AGENT_SANDBOX_ROOT"] = Root };

    public string ShadowPath => Path.Combine(Root, "etc", "shadow");

    public string AuthorizedKeysPath(string username) =>
        Path.Combine(username == "root" ? Path.Combine(Root, "root") : Path.Combine(Root, "home", username), ".ssh", "authorized_keys");

    public Task SetPasswordAsync(string username, string password, CancellationToken ct)
    {
        GuestInput.Username(username);
        var hash = Sha512Crypt.Hash(GuestInput.Password(password));
        var days = (int)(DateTimeOffset.UtcNow - DateTimeOffset.UnixEpoch).TotalDays;
        lock (ShadowGate)
        {
            var lines = File.Exists(ShadowPath) ? File.ReadAllLines(ShadowPath).ToList() : [];
            var entry = $"{username}:{hash}:{days}:0:99999:7:::";
            var index = lines.FindIndex(l => l.StartsWith(username + ":", StringComparison.Ordinal));
            if (index >= 0) lines[index] = entry; else lines.Add(entry);
            DurableFile.Write(ShadowPath, Encoding.UTF8.GetBytes(string.Join('\n', lines) + "\n"));
        }
        return Task.CompletedTask;
    }

    public Task SetAuthorizedKeysAsync(string username, IReadOnlyList<string> publicKeys, CancellationToken ct)
    {
        GuestInput.Username(username);
        var path = AuthorizedKeysPath(username);
        var existing = File.Exists(path) ? File.ReadAllText(path) : null;
        DurableFile.Write(path, Encoding.UTF8.GetBytes(AuthorizedKeysEditor.Merge(existing, publicKeys)));
        return Task.CompletedTask;
    }

    /// <summary>The $6$ hash the sandbox holds for a user, or null.</summary>
    public string? ShadowHash(string username) =>
        File.Exists(ShadowPath)
            ? File.ReadLines(ShadowPath).Select(l => l.Split(':')).FirstOrDefault(f => f.Length > 1 && f[0] == username)?[1]
            : null;
}
