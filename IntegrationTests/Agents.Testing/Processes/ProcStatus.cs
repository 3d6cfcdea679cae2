using System.Globalization;

namespace Agents.Testing;

/// <summary>What the kernel says about a process (/proc), not what the runtime thinks it uses.</summary>
public static class ProcStatus
{
    /// <summary>Resident memory: VmRSS of /proc/{pid}/status.</summary>
    public static long ResidentBytes(int pid) => Bytes(pid, "VmRSS");

    /// <summary>A field of /proc/{pid}/status given in kB (VmRSS, VmHWM …), in bytes.</summary>
    public static long Bytes(int pid, string field)
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
