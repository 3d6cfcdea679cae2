using System.Text.Json;
using System.Text.Json.Serialization;
using Agents.Contracts.Ca;
using Agents.Contracts.Commands;
using Agents.Contracts.Protocol;

namespace Agents.Contracts;

/// <summary>
/// Source-generated metadata of every contract type: no reflection, so the trimmed and NativeAOT
/// agent serializes exactly as the services do. Reached through <see cref="AgentJson"/>. Event
/// bodies are flat maps written by <see cref="Events.CloudStackEvent"/> itself.
/// </summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    UseStringEnumConverter = true,
    // a hand-written frame or command may put "type" anywhere, and name fields in any case
    AllowOutOfOrderMetadataProperties = true,
    PropertyNameCaseInsensitive = true,
    MaxDepth = 32)]
// the bus
[JsonSerializable(typeof(AgentCommand))]
[JsonSerializable(typeof(AgentCommandBatch))]
[JsonSerializable(typeof(ResetVmPassword))]
[JsonSerializable(typeof(ResetVmSshKey))]
[JsonSerializable(typeof(RunRecipe))]
[JsonSerializable(typeof(RekeyCertificate))]
[JsonSerializable(typeof(RunHealthChecks))]
[JsonSerializable(typeof(SealedSecret))]
[JsonSerializable(typeof(List<HealthCheckResult>))]
[JsonSerializable(typeof(Dictionary<string, string>))]
[JsonSerializable(typeof(Dictionary<string, string?>))]
[JsonSerializable(typeof(JsonElement))]
// the object fields of an event body (an AsyncJobEvent's jobResult and cmdInfo)
[JsonSerializable(typeof(System.Text.Json.Nodes.JsonObject))]
// the agent protocol
[JsonSerializable(typeof(Frame))]
[JsonSerializable(typeof(ResultFrame))]
// the CA's requests and answers
[JsonSerializable(typeof(IssueCertificate))]
[JsonSerializable(typeof(EnrollHolder))]
[JsonSerializable(typeof(RenewCertificate))]
[JsonSerializable(typeof(RevokeCertificate))]
[JsonSerializable(typeof(ProvisionCertificate))]
[JsonSerializable(typeof(CreateEnrollmentToken))]
[JsonSerializable(typeof(GetCaCertificate))]
[JsonSerializable(typeof(ListCaProviders))]
[JsonSerializable(typeof(GetHolderCertificate))]
[JsonSerializable(typeof(CertificateIssued))]
[JsonSerializable(typeof(CertificateRevocationRecorded))]
[JsonSerializable(typeof(ProvisionRequested))]
[JsonSerializable(typeof(EnrollmentTokenCreated))]
[JsonSerializable(typeof(CaCertificate))]
[JsonSerializable(typeof(CaProviders))]
[JsonSerializable(typeof(CaError))]
[JsonSerializable(typeof(HolderCertificate))]
public sealed partial class ContractJsonContext : JsonSerializerContext;
