namespace Agents.Demo.Steps;

/// <summary>The SMTP server's folder: one .eml file per received e-mail.</summary>
public static class Mailbox
{
    public static async Task<string> WaitForAsync(string directory, string text, TimeSpan timeout)
    {
        var until = DateTime.UtcNow + timeout;
        while (true)
        {
            foreach (var file in Directory.GetFiles(directory, "*.eml"))
            {
                // quoted-printable bodies break long lines with a soft '=' line end, possibly inside the text
                var mail = (await File.ReadAllTextAsync(file)).Replace("=\r\n", "", StringComparison.Ordinal).Replace("=\n", "", StringComparison.Ordinal);
                if (mail.Contains(text, StringComparison.OrdinalIgnoreCase)) return file;
            }
            if (DateTime.UtcNow > until) throw new StepFailedException($"no e-mail mentioning '{text}' in {directory} after {timeout.TotalSeconds:0} s");
            await Task.Delay(250);
        }
    }
}
