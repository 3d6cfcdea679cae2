using System.Globalization;
using System.IO.Hashing;
using System.Text.Json;
using Agents.Contracts;
using Agents.Contracts.Protocol;

namespace Agents.VmAgent.Core.Journal;

/// <summary>
/// One line of the journal log: the CRC-32 of the JSON (8 hex digits), a space, the JSON, a newline.
/// <c>{"commandId":"…","state":"started","at":"…"}</c> before a handler runs;
/// <c>{"commandId":"…","state":"finished","at":"…","result":{…}}</c> once its result is known.
/// A line that is cut short or whose checksum does not match is not a record (a torn write).
/// </summary>
internal sealed record JournalRecord(Guid CommandId, ResultFrame? Result)
{
    private const int CrcDigits = 8;

    public bool IsStart => Result is null;

    public static JournalRecord Started(Guid commandId) => new(commandId, null);

    public static JournalRecord Finished(ResultFrame result) => new(result.CommandId, result);

    public byte[] Encode()
    {
        // the JSON with room for its CRC and a space before it and the newline after it: one array
        var line = ScratchJsonWriter.Write(this, static (writer, record) =>
        {
            writer.WriteStartObject();
            writer.WriteString("commandId", record.CommandId);
            writer.WriteString("state", record.IsStart ? "started" : "finished");
            writer.WriteString("at", DateTimeOffset.UtcNow);
            if (record.Result is not null)
            {
                writer.WritePropertyName("result");
                JsonSerializer.Serialize(writer, record.Result, AgentJson.TypeInfo<ResultFrame>());
            }
            writer.WriteEndObject();
        }, before: CrcDigits + 1, after: 1);
        var json = line.AsSpan(CrcDigits + 1, line.Length - CrcDigits - 2);
        Crc32.HashToUInt32(json).TryFormat(line.AsSpan(0, CrcDigits), out _, "x8", CultureInfo.InvariantCulture);
        line[CrcDigits] = (byte)' ';
        line[^1] = (byte)'\n';
        return line;
    }

    /// <summary>A whole line without its newline; null when it is not a record this journal wrote intact.</summary>
    public static JournalRecord? Decode(ReadOnlySpan<byte> line)
    {
        if (line.Length <= CrcDigits + 1 || line[CrcDigits] != (byte)' ') return null;
        if (!uint.TryParse(line[..CrcDigits], NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var crc)) return null;
        var json = line[(CrcDigits + 1)..];
        if (Crc32.HashToUInt32(json) != crc) return null;
        try
        {
            var reader = new Utf8JsonReader(json);
            using var document = JsonDocument.ParseValue(ref reader);
            var root = document.RootElement;
            var id = root.GetProperty("commandId").GetGuid();
            return root.GetProperty("state").GetString() switch
            {
                "started" => Started(id),
                "finished" => Finished(root.GetProperty("result").Deserialize(AgentJson.TypeInfo<ResultFrame>()) is { } result && result.CommandId == id
                    ? result : throw new JsonException("the result names another command")),
                _ => null,
            };
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            return null;
        }
    }
}
