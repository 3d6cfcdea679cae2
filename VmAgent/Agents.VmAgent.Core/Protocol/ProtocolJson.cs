using System.Text.Json.Serialization;
using Agents.VmAgent.Core.Policy;

namespace Agents.VmAgent.Core.Protocol;

/// <summary>
/// Source-generated JSON for everything the agent reads or writes: no reflection, so the trimmed
/// single-file binary keeps working. camelCase, enums as strings, nulls omitted (the bus dialect).
/// </summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    UseStringEnumConverter = true,
    AllowOutOfOrderMetadataProperties = true,
    PropertyNameCaseInsensitive = true,
    ReadCommentHandling = System.Text.Json.JsonCommentHandling.Skip,
    AllowTrailingCommas = true,
    MaxDepth = 32)]
[JsonSerializable(typeof(Frame))]
[JsonSerializable(typeof(ResultFrame))]
[JsonSerializable(typeof(ResetPasswordPayload))]
[JsonSerializable(typeof(ResetSshKeyPayload))]
[JsonSerializable(typeof(RunRecipePayload))]
[JsonSerializable(typeof(RekeyPayload))]
[JsonSerializable(typeof(AgentPolicy))]
public sealed partial class ProtocolJson : JsonSerializerContext;
