using System.Text.Json.Serialization;

namespace Agents.VmAgent.Core.Policy;

/// <summary>
/// The policy file's JSON (a local file the VM's owner writes, not a message: comments and
/// trailing commas allowed). Source-generated like the contract's, so the trimmed agent reads it.
/// </summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    PropertyNameCaseInsensitive = true,
    ReadCommentHandling = System.Text.Json.JsonCommentHandling.Skip,
    AllowTrailingCommas = true,
    WriteIndented = true,
    MaxDepth = 32)]
[JsonSerializable(typeof(AgentPolicy))]
public sealed partial class PolicyJson : JsonSerializerContext;
