using System.Text;
using System.Text.Json;
using Agents.Contracts.Events;

namespace Agents.Contracts.Tests;

public sealed class ScratchJsonWriterTests
{
    private static CloudStackEvent Event(string description) => new()
    {
        Category = EventCategory.ActionEvent, Type = "VM.RESETPASSWORD", ResourceType = "VirtualMachine", ResourceUuid = "vm-1",
        Description = new EventBody(fields: 2).Set("status", "Completed").Set("description", description).Build(),
    };

    [Fact]
    public void bodies_written_one_after_another_on_one_thread_are_each_exactly_their_own()
    {
        var big = new string('x', ScratchJsonWriter.KeptBytes * 2);
        var first = Event("short").ToUtf8();
        var large = Event(big).ToUtf8();
        var after = Event("<b>&</b> +0000").ToUtf8();

        Assert.Equal("""{"status":"Completed","description":"short"}""", Encoding.UTF8.GetString(first));
        Assert.Equal(big, JsonDocument.Parse(large).RootElement.GetProperty("description").GetString());
        // the relaxed encoder of every contract: '+', '<' and '&' stay themselves
        Assert.Equal("""{"status":"Completed","description":"<b>&</b> +0000"}""", Encoding.UTF8.GetString(after));
    }

    [Fact]
    public void a_write_that_throws_leaves_the_next_body_whole()
    {
        Assert.ThrowsAny<Exception>(() => ScratchJsonWriter.Write(0, static (writer, _) =>
        {
            writer.WriteStartObject();
            writer.WriteString("half", "written");
            throw new InvalidOperationException("the writer fails midway");
        }));
        Assert.Equal("""{"status":"Completed","description":"next"}""", Encoding.UTF8.GetString(Event("next").ToUtf8()));
    }

    [Fact]
    public async Task threads_writing_at_once_each_get_their_own_body()
    {
        var bodies = await Task.WhenAll(Enumerable.Range(0, 64).Select(i => Task.Run(() =>
            Enumerable.Range(0, 200).Select(j => (Expected: $"{i}-{j}", Body: Event($"{i}-{j}").ToUtf8())).ToList())));
        Assert.All(bodies.SelectMany(b => b), b =>
            Assert.Equal(b.Expected, JsonDocument.Parse(b.Body).RootElement.GetProperty("description").GetString()));
    }

    [Fact]
    public void room_asked_before_and_after_surrounds_the_body_in_one_array()
    {
        var framed = ScratchJsonWriter.Write("v", static (writer, value) =>
        {
            writer.WriteStartObject();
            writer.WriteString("k", value);
            writer.WriteEndObject();
        }, before: 3, after: 2);
        Assert.Equal([0, 0, 0, .. """{"k":"v"}"""u8.ToArray(), 0, 0], framed);
        Assert.Throws<ArgumentOutOfRangeException>(() => ScratchJsonWriter.Write(0, static (_, _) => { }, before: -1));
    }

    [Fact]
    public void a_built_event_body_takes_no_more_fields()
    {
        var body = new EventBody(fields: 1).Set("a", "1");
        var built = body.Build();
        Assert.Throws<InvalidOperationException>(() => body.Set("b", "2"));
        Assert.Equal(["a"], built.Keys);
    }
}
