using System.Text.Json.Serialization;

namespace Agents.Contracts.Protocol;

/// <summary>
/// One message of the agent protocol between a bridge and an agent. On the wire: a 4-byte
/// big-endian length, then that many bytes of UTF-8 JSON whose <c>type</c> property names the
/// frame (<see cref="FrameCodec"/>). See docs/protocol.md.
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
