namespace Agents.VmAgent.Core.Os;

/// <summary>
/// What the handlers need from the operating system. The real implementations change the VM;
/// <see cref="SandboxGuestOs"/> makes the same changes under a directory, for demos and tests.
/// </summary>
public interface IGuestOs
{
    /// <summary>A short name for logs and the hello frame: linux, windows, sandbox.</summary>
    string Name { get; }

    Task SetPasswordAsync(string username, string password, CancellationToken ct);

    /// <summary>Replaces the CloudStack-managed keys of the user's authorized_keys, keeping the user's own lines.</summary>
    Task SetAuthorizedKeysAsync(string username, IReadOnlyList<string> publicKeys, CancellationToken ct);

    /// <summary>Extra environment for recipes (the sandbox tells scripts where its root is).</summary>
    IReadOnlyDictionary<string, string> RecipeEnvironment { get; }
}
