using System.Globalization;

namespace Agents.VmAgent.Core.Os;

/// <summary>One line of <c>/proc/PID/maps</c> (<c>start-end perms offset dev inode [path]</c>), read for its address range when it maps a file.</summary>
public static class FileMapping
{
    /// <summary>True for a mapping of a file (an inode other than 0: not the heap, a stack, an anonymous region or the vDSO), with its range.</summary>
    public static bool TryParse(string line, out nint start, out nuint length)
    {
        (start, length) = (0, 0);
        ArgumentNullException.ThrowIfNull(line);
        var fields = line.Split(' ', 6, StringSplitOptions.RemoveEmptyEntries);
        if (fields.Length < 5 || fields[4] == "0") return false;
        var range = fields[0].Split('-');
        if (range.Length != 2
            || !ulong.TryParse(range[0], NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var from)
            || !ulong.TryParse(range[1], NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var to)
            || !ulong.TryParse(fields[4], NumberStyles.None, CultureInfo.InvariantCulture, out var inode)
            || inode == 0 || to <= from)
            return false;
        (start, length) = ((nint)from, (nuint)(to - from));
        return true;
    }
}
