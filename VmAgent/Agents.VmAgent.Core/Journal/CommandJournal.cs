using System.Text.Json;
using Agents.Contracts;
using Agents.Contracts.Protocol;

namespace Agents.VmAgent.Core.Journal;

/// <summary>
/// The durable record of processed command ids: one small file per id in the data directory,
/// flushed to disk before the result leaves the agent. A redelivered id gets the stored result;
/// a command that was started but never finished (the agent died mid-way) is not run again.
/// </summary>
public sealed class CommandJournal
{
    private readonly string _directory;

    public CommandJournal(string directory)
    {
        _directory = directory;
        Directory.CreateDirectory(directory);
    }

    public ResultFrame? Find(Guid commandId)
    {
        var path = ResultPath(commandId);
        if (!File.Exists(path)) return null;
        try
        {
            using var stream = File.OpenRead(path);
            return JsonSerializer.Deserialize(stream, AgentJson.TypeInfo<ResultFrame>());
        }
        catch (JsonException)
        {
            // a torn write cannot happen (rename is atomic); a hand-edited file is treated as absent
            return null;
        }
    }

    public bool WasStarted(Guid commandId) => File.Exists(StartedPath(commandId));

    /// <summary>Written (and fsync'd) before the handler runs, so a crash mid-way is remembered.</summary>
    public void MarkStarted(Guid commandId) => DurableFile.Write(StartedPath(commandId), System.Text.Encoding.UTF8.GetBytes(DateTimeOffset.UtcNow.ToString("O")));

    public void Record(ResultFrame result)
    {
        ArgumentNullException.ThrowIfNull(result);
        DurableFile.Write(ResultPath(result.CommandId), JsonSerializer.SerializeToUtf8Bytes(result, AgentJson.TypeInfo<ResultFrame>()));
    }

    private string ResultPath(Guid id) => Path.Combine(_directory, $"{id:N}.result.json");
    private string StartedPath(Guid id) => Path.Combine(_directory, $"{id:N}.started");
}
