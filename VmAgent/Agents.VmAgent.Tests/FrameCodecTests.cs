using System.Buffers.Binary;
using System.Text;
using System.Text.Json;
using Agents.Contracts;
using Agents.Contracts.Commands;
using Agents.Contracts.Protocol;
using Agents.Security.Sealing;

namespace Agents.VmAgent.Tests;

public sealed class FrameCodecTests
{
    private static readonly FrameCodec Codec = new(4096);

    public static TheoryData<Frame> EveryFrame() =>
    [
        new HelloFrame(1, "1.0.0", ["ResetVmPassword"], "Unix", "vm-1"),
        new HeartbeatFrame(DateTimeOffset.UnixEpoch),
        new EnrollFrame("token", "-----BEGIN CERTIFICATE REQUEST-----"),
        new EnrolledFrame("cert", "ca"),
        new EnrollRefusedFrame("used"),
        new RenewFrame("csr"),
        new RenewedFrame("cert", "ca"),
        new RenewRefusedFrame("no"),
        new CommandFrame(Guid.NewGuid(), Guid.NewGuid(), "RunRecipe", JsonDocument.Parse("""{"name":"x","parameters":{"a":"b"}}""").RootElement, 60),
        new ResultFrame(Guid.NewGuid(), CommandOutcome.Rejected, 3, "out", "err", "why", 12),
        new RekeyFrame(true),
        new ErrorFrame("bye"),
    ];

    [Theory]
    [MemberData(nameof(EveryFrame))]
    public async Task every_frame_type_round_trips(Frame frame)
    {
        using var stream = new MemoryStream();
        await Codec.WriteAsync(stream, frame, default);
        stream.Position = 0;
        var read = await Codec.ReadAsync(stream, default);
        Assert.Equal(JsonSerializer.Serialize(frame, AgentJson.TypeInfo<Frame>()), JsonSerializer.Serialize(read!, AgentJson.TypeInfo<Frame>()));
        Assert.Null(await Codec.ReadAsync(stream, default));
    }

    [Fact]
    public void the_wire_form_is_a_big_endian_length_then_camel_case_json_with_a_type()
    {
        var bytes = Codec.Encode(new ResultFrame(Guid.Empty, CommandOutcome.Success, DurationMs: 5));
        Assert.Equal(bytes.Length - 4, BinaryPrimitives.ReadInt32BigEndian(bytes));
        var json = Encoding.UTF8.GetString(bytes, 4, bytes.Length - 4);
        Assert.StartsWith("""{"type":"result","commandId":"00000000-0000-0000-0000-000000000000","outcome":"Success""", json, StringComparison.Ordinal);
        Assert.DoesNotContain("null", json, StringComparison.Ordinal);
    }

    [Fact]
    public async Task an_oversized_length_is_refused_before_reading_the_body()
    {
        var header = new byte[4];
        BinaryPrimitives.WriteInt32BigEndian(header, int.MaxValue);
        var e = await Assert.ThrowsAsync<FrameException>(() => Codec.ReadAsync(new MemoryStream(header), default).AsTask());
        Assert.Contains("exceeds the limit", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("not json at all")]
    [InlineData("""{"type":"nonsense"}""")]
    [InlineData("""{"commandId":"x"}""")]
    [InlineData("""{"type":"result","commandId":"not-a-guid"}""")]
    [InlineData("null")]
    public async Task malformed_json_is_a_frame_exception(string json)
    {
        var body = Encoding.UTF8.GetBytes(json);
        var buffer = new byte[4 + body.Length];
        BinaryPrimitives.WriteInt32BigEndian(buffer, body.Length);
        body.CopyTo(buffer, 4);
        await Assert.ThrowsAsync<FrameException>(() => Codec.ReadAsync(new MemoryStream(buffer), default).AsTask());
    }

    [Fact]
    public async Task a_truncated_frame_is_a_frame_exception()
    {
        var bytes = Codec.Encode(new ErrorFrame("hello"));
        await Assert.ThrowsAsync<FrameException>(() => Codec.ReadAsync(new MemoryStream(bytes[..^3]), default).AsTask());
        await Assert.ThrowsAsync<FrameException>(() => Codec.ReadAsync(new MemoryStream(bytes[..2]), default).AsTask());
    }

    [Fact]
    public void a_sealed_password_payload_reads_with_the_documented_field_names()
    {
        // docs/protocol.md: the sealedPassword of a ResetVmPassword payload
        const string bus = """{"username":"root","sealedPassword":{"algorithm":"ECDH-P256+HKDF-SHA256+A256GCM","recipientSerial":"0A","ephemeralPublicKey":"AA==","nonce":"AA==","ciphertext":"AA==","tag":"AA=="}}""";
        var payload = AgentJson.Deserialize<ResetVmPassword>(bus);
        Assert.Equal(new SealedSecret { Algorithm = SecretSealer.Algorithm, RecipientSerial = "0A", EphemeralPublicKey = "AA==", Nonce = "AA==", Ciphertext = "AA==", Tag = "AA==" },
            payload.SealedPassword);
    }
}
