using System.Text;
using Agents.VmAgent.Core.Journal;
using Agents.Contracts.Commands;
using Agents.Contracts.Protocol;
using Agents.VmAgent.Tests.Support;

namespace Agents.VmAgent.Tests;

/// <summary>The append-only journal on a real file: what a restarted agent reads back, torn and damaged records, group commit, compaction, the upgrade from one file per command.</summary>
public sealed class CommandJournalTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    private string Directory => Path.Combine(_temp.Path, "journal");
    private string LogPath => Path.Combine(Directory, CommandJournal.LogName);

    private static ResultFrame Result(Guid id, string stdout = "ok") => new(id, CommandOutcome.Success, 0, stdout, DurationMs: 3);

    [Fact]
    public async Task a_reopened_journal_knows_every_started_and_finished_command()
    {
        var (finished, started, unknown) = (Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid());
        var journal = new CommandJournal(Directory);
        await journal.MarkStartedAsync(finished);
        await journal.RecordAsync(Result(finished, "it's \"quoted\"\nand multi-line"));
        await journal.MarkStartedAsync(started);

        var reopened = new CommandJournal(Directory);

        Assert.Equal(Result(finished, "it's \"quoted\"\nand multi-line"), reopened.Find(finished));
        Assert.True(reopened.WasStarted(started));
        Assert.Null(reopened.Find(started));
        Assert.False(reopened.WasStarted(unknown));
        Assert.Equal(3, reopened.RecordCount);
    }

    [Fact]
    public async Task a_torn_last_record_is_ignored_and_cut_off_so_the_next_append_reads_back()
    {
        var (kept, torn, later) = (Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid());
        var journal = new CommandJournal(Directory);
        await journal.RecordAsync(Result(kept));
        var intact = new FileInfo(LogPath).Length;
        await journal.RecordAsync(Result(torn));
        // what a crash in the middle of the write leaves: the start of the record, no newline
        using (var file = File.OpenHandle(LogPath, FileMode.Open, FileAccess.Write)) RandomAccess.SetLength(file, intact + 40);

        var reopened = new CommandJournal(Directory);
        Assert.Equal(Result(kept), reopened.Find(kept));
        Assert.False(reopened.WasStarted(torn));
        Assert.Equal(intact, new FileInfo(LogPath).Length);

        await reopened.RecordAsync(Result(later));
        var again = new CommandJournal(Directory);
        Assert.Equal(Result(later), again.Find(later));
        Assert.Equal(2, again.RecordCount);
    }

    [Fact]
    public async Task a_record_whose_checksum_does_not_match_is_ignored_and_the_others_still_count()
    {
        var (damaged, intact) = (Guid.NewGuid(), Guid.NewGuid());
        var journal = new CommandJournal(Directory);
        await journal.RecordAsync(Result(damaged, "aaaa"));
        await journal.RecordAsync(Result(intact));
        var text = await File.ReadAllTextAsync(LogPath);
        await File.WriteAllTextAsync(LogPath, text.Replace("aaaa", "bbbb", StringComparison.Ordinal));

        var reopened = new CommandJournal(Directory);

        Assert.False(reopened.WasStarted(damaged));
        Assert.Equal(Result(intact), reopened.Find(intact));
    }

    [Fact]
    public async Task appends_that_arrive_while_an_fsync_runs_share_the_next_one()
    {
        var journal = new CommandJournal(Directory);

        await Task.WhenAll(Enumerable.Range(0, 200).Select(_ => journal.MarkStartedAsync(Guid.NewGuid())));

        Assert.Equal(200, journal.RecordCount);
        Assert.InRange(journal.Syncs, 1, 20);
        Assert.Equal(200, new CommandJournal(Directory).RecordCount);
    }

    [Fact]
    public async Task compaction_keeps_the_newest_results_and_every_unfinished_command_within_its_bound()
    {
        var options = new JournalOptions { RetainedResults = 5, CompactionFactor = 2 };
        var journal = new CommandJournal(Directory, options);
        var unfinished = Guid.NewGuid();
        await journal.MarkStartedAsync(unfinished);
        var ids = new List<Guid>();
        for (var i = 0; i < 40; i++)
        {
            var id = Guid.NewGuid();
            ids.Add(id);
            await journal.MarkStartedAsync(id);
            await journal.RecordAsync(Result(id, $"run {i}"));
            Assert.InRange(journal.RecordCount, 1, options.CompactionFactor * options.RetainedResults + 1);
        }

        Assert.True(journal.Compactions > 0);
        var reopened = new CommandJournal(Directory, options);
        foreach (var id in ids.TakeLast(options.RetainedResults)) Assert.NotNull(reopened.Find(id));
        Assert.Null(reopened.Find(ids[0]));
        Assert.True(reopened.WasStarted(unfinished));
        Assert.Null(reopened.Find(unfinished));
        Assert.False(File.Exists(LogPath + ".compacting"));
    }

    [Fact]
    public async Task compaction_bounds_the_bytes_kept_when_results_are_large()
    {
        var options = new JournalOptions { RetainedResults = 1000, RetainedBytes = 16 * 1024, CompactionFactor = 2 };
        var journal = new CommandJournal(Directory, options);
        var last = Guid.NewGuid();
        for (var i = 0; i < 30; i++)
        {
            last = Guid.NewGuid();
            await journal.RecordAsync(Result(last, new string('x', 4000)));
        }

        Assert.True(journal.Compactions > 0);
        Assert.InRange(new FileInfo(LogPath).Length, 1, options.CompactionFactor * options.RetainedBytes + 5000);
        Assert.NotNull(new CommandJournal(Directory, options).Find(last));
    }

    [Fact]
    public void the_files_of_the_journal_before_the_log_are_moved_into_it_and_removed()
    {
        System.IO.Directory.CreateDirectory(Directory);
        var (finished, started) = (Guid.NewGuid(), Guid.NewGuid());
        File.WriteAllText(Path.Combine(Directory, $"{finished:N}.started"), "2026-11-20T10:00:00.0000000+00:00");
        File.WriteAllText(Path.Combine(Directory, $"{finished:N}.result.json"), $$"""{"commandId":"{{finished}}","outcome":"Success","exitCode":0,"stdout":"done","durationMs":5}""");
        File.WriteAllText(Path.Combine(Directory, $"{started:N}.started"), "2026-11-20T10:00:01.0000000+00:00");

        var journal = new CommandJournal(Directory);

        Assert.Equal(new ResultFrame(finished, CommandOutcome.Success, 0, "done", DurationMs: 5), journal.Find(finished));
        Assert.True(journal.WasStarted(started));
        Assert.Equal([CommandJournal.LogName], System.IO.Directory.GetFiles(Directory).Select(Path.GetFileName));
        Assert.True(new CommandJournal(Directory).WasStarted(started));
    }

    [Fact]
    public async Task the_log_is_one_readable_line_per_record_with_its_checksum()
    {
        var id = Guid.NewGuid();
        var journal = new CommandJournal(Directory);
        await journal.MarkStartedAsync(id);
        await journal.RecordAsync(Result(id));

        var lines = await File.ReadAllLinesAsync(LogPath, Encoding.UTF8);

        Assert.Equal(2, lines.Length);
        Assert.Matches($$"""^[0-9a-f]{8} \{"commandId":"{{id}}","state":"started","at":"[^"]+"\}$""", lines[0]);
        Assert.Matches($$"""^[0-9a-f]{8} \{"commandId":"{{id}}","state":"finished","at":"[^"]+","result":\{"commandId":"{{id}}","outcome":"Success",.*\}\}$""", lines[1]);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(LogPath));
    }
}
