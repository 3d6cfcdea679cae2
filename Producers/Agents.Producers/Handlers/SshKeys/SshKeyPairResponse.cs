using System.Text.Json.Nodes;
using Agents.Producers.Api;
using Agents.Producers.SshKeys;

namespace Agents.Producers.Handlers.SshKeys;

/// <summary>An SSH key pair as CloudStack's SSHKeyPairResponse names its fields (no private key: it is never made here).</summary>
public static class SshKeyPairResponse
{
    public const string ObjectName = "keypair";
    public const string ListObjectName = "sshkeypair";

    public static IReadOnlyList<ApiResponseField> Fields { get; } =
    [
        ApiResponseField.String("name", "Name of the keypair"),
        ApiResponseField.String("fingerprint", "Fingerprint of the public key"),
        ApiResponseField.String("account", "the owner of the keypair"),
        ApiResponseField.String("publickey", "the public key"),
    ];

    public static JsonObject Render(SshKeyPair pair)
    {
        ArgumentNullException.ThrowIfNull(pair);
        return new JsonObject { ["name"] = pair.Name, ["fingerprint"] = pair.Fingerprint, ["account"] = pair.Account, ["publickey"] = pair.PublicKey };
    }
}
