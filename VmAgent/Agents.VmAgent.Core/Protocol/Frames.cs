using System.Text.Json;
using System.Text.Json.Serialization;
using Agents.Security.Sealing;

namespace Agents.VmAgent.Core.Protocol;

/// <summary>
/// One message of the agent protocol. On the wire: a 4-byte big-endian length, then that many bytes
/// of UTF-8 JSON whose <c>type</c> property names the frame. See docs/protocol.md.
/// </summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "type", UnknownDerivedTypeHandling = JsonUnknownDerivedTypeHandling.FailSerialization)]
[JsonDerivedType(typeof(HelloFrame), "hello")]
[JsonDerivedType(typeof(HeartbeatFrame), "heartbeat")]
[JsonDerivedType(typeof(EnrollFrame), "enroll")]
[JsonDerivedType(typeof(EnrolledFrame), "enrolled")]
[JsonDerivedType(typeof(EnrollRefusedFrame), "enrollRefused")]
[JsonDerivedType(typeof(RenewFrame), "renew")]
[JsonDerivedType(typeof(RenewedFrame), "renewed")]
[JsonDerivedType(typeof(RenewRefusedFrame), "renewRefused")]
[JsonDerivedType(typeof(CommandFrame), "command")]
[JsonDerivedType(typeof(ResultFrame), "result")]
[JsonDerivedType(typeof(RekeyFrame), "rekey")]
[JsonDerivedType(typeof(ErrorFrame), "error")]
public abstract record Frame;

/// <summary>Agent → bridge, first frame after a mutual-TLS handshake.</summary>
public sealed record HelloFrame(int ProtocolVersion, string AgentVersion, IReadOnlyList<string> Capabilities, string? Os = null, string? Hostname = null) : Frame
{
    public const int CurrentProtocolVersion = 1;
}

/// <summary>Either way; the bridge echoes the agent's heartbeat so both ends notice a dead peer.</summary>
public sealed record HeartbeatFrame(DateTimeOffset SentAt) : Frame;

/// <summary>Agent → bridge over server-authenticated TLS (no client certificate yet).</summary>
public sealed record EnrollFrame(string Token, string CsrPem) : Frame;

public sealed record EnrolledFrame(string CertificatePem, string CaCertificatePem) : Frame;

public sealed record EnrollRefusedFrame(string Reason) : Frame;

/// <summary>Agent → bridge over mutual TLS: a CSR for a fresh key; the current certificate proves who asks.</summary>
public sealed record RenewFrame(string CsrPem) : Frame;

public sealed record RenewedFrame(string CertificatePem, string CaCertificatePem) : Frame;

public sealed record RenewRefusedFrame(string Reason) : Frame;

/// <summary>Bridge → agent. <see cref="Payload"/> is the command's body as on the bus (camelCase JSON); the command type travels as <c>commandType</c> because <c>type</c> names the frame.</summary>
public sealed record CommandFrame(Guid CommandId, Guid JobId, [property: JsonPropertyName("commandType")] string Type, JsonElement Payload, int TimeoutSeconds) : Frame;

/// <summary>Agent → bridge: the one result of a command id (a redelivery gets the stored one).</summary>
public sealed record ResultFrame(
    Guid CommandId,
    AgentOutcome Outcome,
    int? ExitCode = null,
    string? Stdout = null,
    string? Stderr = null,
    string? Message = null,
    long DurationMs = 0) : Frame;

/// <summary>Bridge → agent: make a new key and renew now (provisionCertificate).</summary>
public sealed record RekeyFrame(bool Reconnect) : Frame;

/// <summary>Either way, just before closing: why the connection is being closed.</summary>
public sealed record ErrorFrame(string Reason) : Frame;
