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
                if ((await File.ReadAllTextAsync(file)).Contains(text, StringComparison.OrdinalIgnoreCase)) return file;
            if (DateTime.UtcNow > until) throw new StepFailedException($"no e-mail mentioning '{text}' in {directory} after {timeout.TotalSeconds:0} s");
            await Task.Delay(250);
        }
    }
}
