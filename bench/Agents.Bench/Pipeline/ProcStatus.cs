using System.Globalization;

namespace Agents.Bench.Pipeline;

/// <summary>What the kernel says about a process (/proc), not what the runtime thinks it uses.</summary>
public static class ProcStatus
{
    /// <summary>VmRSS (or another field of /proc/{pid}/status given in kB) in bytes.</summary>
    public static long Bytes(int pid, string field = "VmRSS")
    {
        foreach (var line in File.ReadLines($"/proc/{pid}/status"))
        {
            if (!line.StartsWith(field + ":", StringComparison.Ordinal)) continue;
            var kb = line[(field.Length + 1)..].Trim().Split(' ')[0];
            return long.Parse(kb, CultureInfo.InvariantCulture) * 1024;
        }
        throw new InvalidOperationException($"no {field} for pid {pid}");
    }
}
