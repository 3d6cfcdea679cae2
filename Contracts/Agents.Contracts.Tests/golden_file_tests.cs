using System.Text.Json;
using System.Text.Json.Nodes;
using Agents.Contracts.Commands;
using Agents.Contracts.Protocol;

namespace Agents.Contracts.Tests;

/// <summary>
/// Pins every JSON shape on the bus and the agent link. A change that alters one fails here; if it
/// is meant, run with UPDATE_GOLDEN=1 to rewrite golden/*.json, and update docs/protocol.md in the same commit.
/// </summary>
public sealed class golden_file_tests
{
    private static readonly JsonSerializerOptions Indented = new(AgentJson.Options) { WriteIndented = true };

    public static TheoryData<string> Names() => new(Examples.Messages().Select(m => m.Name));

    [Theory]
    [MemberData(nameof(Names))]
    public void every_bus_message_keeps_its_documented_json_shape(string name)
    {
        var value = Examples.Messages().Single(m => m.Name == name).Value;
        var actual = JsonNode.Parse(Wire(value))!.ToJsonString(Indented) + "\n";
        var sourceGolden = Path.Combine(SourceDirectory(), "golden", name + ".json");
        if (Environment.GetEnvironmentVariable("UPDATE_GOLDEN") == "1") File.WriteAllText(sourceGolden, actual);

        var golden = Path.Combine(AppContext.BaseDirectory, "golden", name + ".json");
        Assert.True(File.Exists(golden), $"no golden file for {name}: run the tests once with UPDATE_GOLDEN=1 and review golden/{name}.json");
        Assert.Equal(File.ReadAllText(golden).ReplaceLineEndings("\n"), actual);
    }

    [Fact]
    public void a_command_reads_back_as_it_was_written()
    {
        foreach (var (name, value) in Examples.Messages().Where(m => m.Name.StartsWith("command.", StringComparison.Ordinal)))
        {
            var command = (AgentCommand)value;
            var back = AgentJson.Deserialize<AgentCommand>(AgentJson.ToUtf8(command));
            Assert.True(JsonElement.DeepEquals(command.Payload, back.Payload), name);
            Assert.Equal(command with { Payload = back.Payload }, back);
        }
    }

    [Fact]
    public void a_frame_reads_back_as_it_was_written()
    {
        foreach (var (name, value) in Examples.Messages().Where(m => m.Name.StartsWith("frame.", StringComparison.Ordinal)))
        {
            var frame = (Frame)value;
            var back = FrameCodec.Decode(new FrameCodec().Encode(frame).AsSpan(4));
            Assert.Equal(frame.GetType(), back.GetType());
            Assert.Equal(Wire(frame), Wire(back));
        }
    }

    [Fact]
    public void the_payload_a_bridge_reads_is_the_payload_it_relays_byte_for_byte()
    {
        var command = (AgentCommand)Examples.Messages().Single(m => m.Name == "command.ResetVmPassword").Value;
        var read = AgentJson.Deserialize<AgentCommand>(AgentJson.ToUtf8(command));
        var frame = (CommandFrame)FrameCodec.Decode(new FrameCodec().Encode(CommandFrame.For(read)).AsSpan(4));
        Assert.Equal(command.Payload.GetRawText(), frame.Payload.GetRawText());
        Assert.Equal("root", frame.PayloadAs<ResetVmPassword>().Username);
    }

    /// <summary>The bytes on the wire: an event's body with its key, a frame with its type, any other message as itself.</summary>
    private static string Wire(object value) => value switch
    {
        JsonNode node => node.ToJsonString(AgentJson.Options),
        Frame frame => JsonSerializer.Serialize(frame, AgentJson.TypeInfo<Frame>()),
        _ => AgentJson.Serialize(value),
    };

    private static string SourceDirectory([System.Runtime.CompilerServices.CallerFilePath] string path = "") => Path.GetDirectoryName(path)!;
}
