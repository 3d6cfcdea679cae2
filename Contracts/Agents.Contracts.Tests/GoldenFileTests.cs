using Newtonsoft.Json.Linq;

namespace Agents.Contracts.Tests;

/// <summary>
/// Pins every JSON shape on the bus. A change that alters one fails here; if it is meant, run
/// with UPDATE_GOLDEN=1 to rewrite golden/*.json, and update docs/protocol.md in the same commit.
/// </summary>
public sealed class GoldenFileTests
{
    public static TheoryData<string> Names() => new(Examples.Messages().Select(m => m.Name));

    [Theory]
    [MemberData(nameof(Names))]
    public void every_bus_message_keeps_its_documented_json_shape(string name)
    {
        var value = Examples.Messages().Single(m => m.Name == name).Value;
        var actual = JToken.Parse(AgentJson.Serialize(value)).ToString(Newtonsoft.Json.Formatting.Indented) + "\n";
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
            var command = (Commands.AgentCommand)value;
            var back = AgentJson.Deserialize<Commands.AgentCommand>(AgentJson.ToUtf8(command));
            Assert.True(JToken.DeepEquals(command.Payload, back.Payload), name);
            Assert.Equal(command with { Payload = back.Payload }, back);
        }
    }

    private static string SourceDirectory([System.Runtime.CompilerServices.CallerFilePath] string path = "") => Path.GetDirectoryName(path)!;
}
