using Agents.Security.Sealing;

namespace Agents.VmAgent.Core.Protocol;

/// <summary>The command types, as on the bus (Agents.Contracts.Commands.CommandTypes).</summary>
public static class CommandTypes
{
    public const string ResetVmPassword = "ResetVmPassword";
    public const string ResetVmSshKey = "ResetVmSshKey";
    public const string RunRecipe = "RunRecipe";
    public const string RekeyCertificate = "RekeyCertificate";
}

/// <summary>Mirror of the bus's ResetVmPassword payload.</summary>
public sealed record ResetPasswordPayload(string Username, SealedEnvelope SealedPassword);

/// <summary>Mirror of the bus's ResetVmSshKey payload.</summary>
public sealed record ResetSshKeyPayload(string Username, IReadOnlyList<string> PublicKeys);

/// <summary>Mirror of the bus's RunRecipe payload. <see cref="Script"/> is base64.</summary>
public sealed record RunRecipePayload(string Name, string? Sha256 = null, string? Script = null, IReadOnlyDictionary<string, string>? Parameters = null, int TimeoutSeconds = 120);

/// <summary>Mirror of the bus's RekeyCertificate payload.</summary>
public sealed record RekeyPayload(bool Reconnect = false);
