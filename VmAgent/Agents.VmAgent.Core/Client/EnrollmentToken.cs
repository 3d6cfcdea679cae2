namespace Agents.VmAgent.Core.Client;

/// <summary>
/// Where the one-time enrollment token comes from, first found wins: the config, a token file (the
/// token alone, <c>--token-file</c>), the environment
/// variable <c>AGENTS_ENROLLMENT_TOKEN</c> (or <c>AGENT_ENROLLMENT_TOKEN</c>), a user-data file (a line
/// <c>agent_enrollment_token=…</c>, or a file holding only the token).
/// </summary>
public static class EnrollmentToken
{
    public const string EnvironmentVariable = "AGENTS_ENROLLMENT_TOKEN";
    public const string LegacyEnvironmentVariable = "AGENT_ENROLLMENT_TOKEN";
    private static readonly string[] Keys = ["agent_enrollment_token", "enrollment_token", "enrollmentToken"];

    public static string? Find(string? configured, string? userDataFile, string? tokenFile = null)
    {
        if (!string.IsNullOrWhiteSpace(configured)) return configured.Trim();
        if (tokenFile is not null && File.Exists(tokenFile) && File.ReadAllText(tokenFile).Trim() is { Length: > 0 } fromFile) return fromFile;
        var fromEnvironment = FromEnvironment();
        if (!string.IsNullOrWhiteSpace(fromEnvironment)) return fromEnvironment.Trim();
        if (userDataFile is null || !File.Exists(userDataFile)) return null;
        var lines = File.ReadAllLines(userDataFile).Select(l => l.Trim()).Where(l => l.Length > 0 && !l.StartsWith('#')).ToList();
        foreach (var line in lines)
        {
            var eq = line.IndexOf('=', StringComparison.Ordinal);
            if (eq > 0 && Keys.Contains(line[..eq].Trim(), StringComparer.Ordinal)) return line[(eq + 1)..].Trim().Trim('"');
        }
        return lines.Count == 1 && !lines[0].Contains('=', StringComparison.Ordinal) ? lines[0] : null;
    }

    /// <summary>The token from the environment (AGENTS_ENROLLMENT_TOKEN, then AGENT_ENROLLMENT_TOKEN), or null.</summary>
    public static string? FromEnvironment()
    {
        var value = Environment.GetEnvironmentVariable(EnvironmentVariable);
        return string.IsNullOrWhiteSpace(value) ? Environment.GetEnvironmentVariable(LegacyEnvironmentVariable) : value;
    }
}
