namespace Agents.VmAgent.Core.Journal;

/// <summary>Writes a whole file atomically and durably: temp file, fsync, rename over the target.</summary>
public static class DurableFile
{
    /// <param name="unixMode">The mode the file is created with (never wider at any moment); ignored on Windows.</param>
    public static void Write(string path, ReadOnlySpan<byte> content, UnixFileMode unixMode = UnixFileMode.UserRead | UnixFileMode.UserWrite)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(path))!;
        Directory.CreateDirectory(directory);
        var temp = Path.Combine(directory, $".{Path.GetFileName(path)}.{Guid.NewGuid():N}.tmp");
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None };
        if (!OperatingSystem.IsWindows()) options.UnixCreateMode = unixMode;
        try
        {
            using (var stream = new FileStream(temp, options))
            {
                stream.Write(content);
                stream.Flush(flushToDisk: true);
            }
            File.Move(temp, path, overwrite: true);
        }
        catch
        {
            File.Delete(temp);
            throw;
        }
    }
}
