namespace Agents.VmAgent.Core.Os;

/// <summary>One line of an /etc/passwd-format file: the user's uid, gid and home.</summary>
public sealed record PasswdEntry(string Name, int Uid, int Gid, string Home)
{
    public static PasswdEntry? Find(string passwdFile, string username)
    {
        if (!File.Exists(passwdFile)) return null;
        foreach (var line in File.ReadLines(passwdFile))
        {
            var f = line.Split(':');
            if (f.Length >= 6 && f[0] == username && int.TryParse(f[2], out var uid) && int.TryParse(f[3], out var gid))
                return new PasswdEntry(f[0], uid, gid, f[5]);
        }
        return null;
    }
}
