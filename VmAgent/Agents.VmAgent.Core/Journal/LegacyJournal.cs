using System.Text.Json;
using Agents.Contracts;
using Agents.Contracts.Protocol;

namespace Agents.VmAgent.Core.Journal;

/// <summary>
/// Agents before the append-only log kept one file per command id (<c>&lt;id&gt;.started</c>,
/// <c>&lt;id&gt;.result.json</c>). An upgraded agent moves them into the log once, durably, and only
/// then deletes them, so no command it already ran can run again after the upgrade.
/// </summary>
internal static class LegacyJournal
{
    private const string StartedSuffix = ".started";
    private const string ResultSuffix = ".result.json";

    public static void Import(string directory, CommandJournal journal)
    {
        var files = Directory.EnumerateFiles(directory, "*" + StartedSuffix).Concat(Directory.EnumerateFiles(directory, "*" + ResultSuffix)).ToList();
        if (files.Count == 0) return;
        var records = new List<JournalRecord>();
        foreach (var file in files)
        {
            var name = Path.GetFileName(file);
            if (name.EndsWith(ResultSuffix, StringComparison.Ordinal) && Result(file) is { } result) records.Add(JournalRecord.Finished(result));
            else if (name.EndsWith(StartedSuffix, StringComparison.Ordinal) && Guid.TryParseExact(name[..^StartedSuffix.Length], "N", out var id))
                records.Add(JournalRecord.Started(id));
        }
        // starts first: a command with both is finished; appended together, one fsync
        Task.WaitAll(records.OrderBy(r => r.IsStart ? 0 : 1).Select(journal.AppendAsync));
        foreach (var file in files) File.Delete(file);
    }

    private static ResultFrame? Result(string file)
    {
        try
        {
            using var stream = File.OpenRead(file);
            return JsonSerializer.Deserialize(stream, AgentJson.TypeInfo<ResultFrame>());
        }
        catch (JsonException)
        {
            // the old journal treated an unreadable result file as absent too
            return null;
        }
    }
}
