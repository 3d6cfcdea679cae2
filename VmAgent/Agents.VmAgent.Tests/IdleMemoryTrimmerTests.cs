using Agents.VmAgent.Core.Logging;
using Agents.VmAgent.Core.Os;

namespace Agents.VmAgent.Tests;

/// <summary>When the agent gives back its idle memory (pure logic: one call of Due per quiet period), and which lines of /proc/PID/maps it asks the kernel about.</summary>
public sealed class IdleMemoryTrimmerTests
{
    private static readonly DateTimeOffset Start = new(2026, 12, 6, 8, 0, 0, TimeSpan.Zero);

    private static IdleMemoryTrimmer Trimmer() => new(new ConsoleAgentLog(AgentLogLevel.Error));

    private static DateTimeOffset Check(int n) => Start + IdleMemoryTrimmer.Quiet * n;

    [Fact]
    public void activity_is_trimmed_once_at_the_first_check_that_found_none_since_the_one_before()
    {
        var trimmer = Trimmer();
        trimmer.Active();
        Assert.False(trimmer.Due(Check(1)));
        trimmer.Active();
        Assert.False(trimmer.Due(Check(2)));

        Assert.True(trimmer.Due(Check(3)));
        Assert.False(trimmer.Due(Check(4)));
        Assert.False(trimmer.Due(Check(500)));
    }

    [Fact]
    public void an_agent_that_never_did_anything_is_never_trimmed()
    {
        var trimmer = Trimmer();
        for (var i = 1; i < 200; i++) Assert.False(trimmer.Due(Check(i)));
    }

    [Fact]
    public void activity_at_every_check_postpones_the_trim_until_a_quiet_one()
    {
        var trimmer = Trimmer();
        for (var i = 1; i < 100; i++)
        {
            trimmer.Active();
            Assert.False(trimmer.Due(Check(i)));
        }
        Assert.True(trimmer.Due(Check(100)));
    }

    [Fact]
    public void a_trickle_of_commands_is_trimmed_at_most_once_a_minute()
    {
        var trimmer = Trimmer();
        trimmer.Active();
        Assert.False(trimmer.Due(Check(1)));
        Assert.True(trimmer.Due(Check(2)));

        // a command every few seconds: quiet checks between them, but the last trim is too recent
        var trims = new List<DateTimeOffset>();
        for (var i = 3; i < 400; i++)
        {
            if (i % 5 == 0) trimmer.Active();
            if (trimmer.Due(Check(i))) trims.Add(Check(i));
        }
        Assert.NotEmpty(trims);
        Assert.True(trims[0] - Check(2) >= IdleMemoryTrimmer.MinimumInterval, $"first trim after {trims[0] - Check(2)}");
        for (var i = 1; i < trims.Count; i++)
            Assert.True(trims[i] - trims[i - 1] >= IdleMemoryTrimmer.MinimumInterval, $"trims {trims[i] - trims[i - 1]} apart");
    }

    [Theory]
    [InlineData("55d0c8a4e000-55d0c8a73000 r--p 00000000 08:01 1234567                    /usr/bin/agents-vm-agent", 0x55d0c8a4e000L, 0x25000L)]
    [InlineData("7f3a1c000000-7f3a1c400000 r-xp 00200000 fd:00 42 /usr/lib/x86_64-linux-gnu/libcrypto.so.3", 0x7f3a1c000000L, 0x400000L)]
    [InlineData("7f3a1c000000-7f3a1c001000 rw-p 00000000 00:2a 99 /tmp/a file with spaces (deleted)", 0x7f3a1c000000L, 0x1000L)]
    public void a_mapping_of_a_file_is_read_with_its_range(string line, long start, long length)
    {
        Assert.True(FileMapping.TryParse(line, out var from, out var size));
        Assert.Equal(start, (long)from);
        Assert.Equal(length, (long)size);
    }

    [Theory]
    [InlineData("55d0c9b2a000-55d0c9b4b000 rw-p 00000000 00:00 0                          [heap]")]
    [InlineData("7ffd8b1f0000-7ffd8b211000 rw-p 00000000 00:00 0                          [stack]")]
    [InlineData("7f3a1c800000-7f3a1c900000 rw-p 00000000 00:00 0 ")]
    [InlineData("7ffd8b3fe000-7ffd8b400000 r-xp 00000000 00:00 0                          [vdso]")]
    [InlineData("")]
    [InlineData("not a mapping at all")]
    [InlineData("7f3a1c900000-7f3a1c800000 r--p 00000000 08:01 77 /backwards")]
    [InlineData("zz-7f3a1c800000 r--p 00000000 08:01 77 /bad")]
    public void anything_else_is_not_a_file_mapping(string line)
    {
        Assert.False(FileMapping.TryParse(line, out _, out _));
    }
}
