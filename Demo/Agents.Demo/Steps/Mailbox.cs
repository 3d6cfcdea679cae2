using Agents.Testing;

namespace Agents.Demo.Steps;

/// <summary>The SMTP server's folder: one .eml file per received e-mail.</summary>
public static class Mailbox
{
    public static async Task<string> WaitForAsync(string directory, string text, TimeSpan timeout)
    {
        string? found = null;
        await Eventually.TrueAsync(async () => (found = await FindAsync(directory, text)) is not null, $"an e-mail mentioning '{text}' in {directory}", timeout.TotalSeconds);
        return found!;
    }

    /// <summary>The e-mail's text with quoted-printable's soft line ends (a '=' at a line's end, possibly inside a word) removed.</summary>
    public static async Task<string> ReadAsync(string file) =>
        (await File.ReadAllTextAsync(file)).Replace("=\r\n", "", StringComparison.Ordinal).Replace("=\n", "", StringComparison.Ordinal);

    private static async Task<string?> FindAsync(string directory, string text)
    {
        foreach (var file in Directory.GetFiles(directory, "*.eml"))
            if ((await ReadAsync(file)).Contains(text, StringComparison.OrdinalIgnoreCase)) return file;
        return null;
    }
}
