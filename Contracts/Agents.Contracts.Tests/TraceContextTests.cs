using Agents.Contracts.Commands;
using Agents.Contracts.Protocol;

namespace Agents.Contracts.Tests;

/// <summary>The optional W3C trace context of the command and result frames: carried when there, never required.</summary>
public sealed class TraceContextTests
{
    private const string TraceParent = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

    [Fact]
    public void a_command_frame_carries_its_traceparent_and_names_its_trace_id()
    {
        var frame = (CommandFrame)FrameCodec.Decode(Json(new CommandFrame(Guid.NewGuid(), Guid.NewGuid(), CommandTypes.RunRecipe,
            AgentJson.ToElement(new RunRecipe { Name = "x" }), 60, TraceParent)));

        Assert.Equal(TraceParent, frame.TraceParent);
        Assert.Equal("4bf92f3577b34da6a3ce929d0e0e4736", frame.TraceId);
        Assert.Contains("\"traceparent\":\"" + TraceParent + "\"", System.Text.Encoding.UTF8.GetString(Json(frame)), StringComparison.Ordinal);
    }

    [Fact]
    public void frames_of_an_agent_or_bridge_without_trace_context_read_as_before_and_write_no_traceparent()
    {
        var command = (CommandFrame)FrameCodec.Decode("""
            {"type":"command","commandId":"6f1c0000-0000-4000-8000-000000000001","jobId":"0b2e0000-0000-4000-8000-000000000002","commandType":"RunRecipe","payload":{"name":"x"},"timeoutSeconds":60}
            """u8);
        var result = (ResultFrame)FrameCodec.Decode("""{"type":"result","commandId":"6f1c0000-0000-4000-8000-000000000001","outcome":"Success","durationMs":12}"""u8);

        Assert.Null(command.TraceParent);
        Assert.Null(command.TraceId);
        Assert.Null(result.TraceParent);
        Assert.DoesNotContain("traceparent", System.Text.Encoding.UTF8.GetString(Json(result)), StringComparison.Ordinal);
    }

    private static byte[] Json(Frame frame) => System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(frame, AgentJson.TypeInfo<Frame>());

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("not a traceparent")]
    [InlineData("00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01")]
    [InlineData("00-00000000000000000000000000000000-00f067aa0ba902b7-01")]
    [InlineData("00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01")]
    [InlineData("ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01")]
    [InlineData("00-4bf92f3577b34da6a3ce929d0e0e47-00f067aa0ba902b7-01xx")]
    public void a_malformed_traceparent_names_no_trace(string? traceParent) =>
        Assert.Null(TraceContext.TraceIdOf(traceParent));
}
