using System.Text.RegularExpressions;

namespace Agents.Contracts.Tests;

/// <summary>
/// docs/architecture.md walks resetPasswordForVirtualMachine file by file; a file renamed or
/// moved without the walk being updated fails here instead of leaving the document wrong.
/// </summary>
public sealed partial class ArchitecturePathTests
{
    [Fact]
    public void every_file_on_the_documented_command_path_exists()
    {
        var root = Path.GetFullPath(Path.Combine(SourceDirectory(), "..", ".."));
        var text = File.ReadAllText(Path.Combine(root, "docs", "architecture.md"));
        var begin = text.IndexOf("<!-- path:begin -->", StringComparison.Ordinal);
        var end = text.IndexOf("<!-- path:end -->", StringComparison.Ordinal);
        Assert.True(begin >= 0 && end > begin, "docs/architecture.md has no path:begin/path:end section");

        var files = FilePath().Matches(text[begin..end]).Select(m => m.Groups[1].Value).ToList();
        Assert.True(files.Count >= 20, $"the documented path names {files.Count} files");
        var missing = files.Where(file => !File.Exists(Path.Combine(root, file))).ToList();
        Assert.True(missing.Count == 0, $"named in docs/architecture.md but not in the tree: {string.Join(", ", missing)}");
    }

    [GeneratedRegex(@"^\d+\. `([^`]+\.cs)`", RegexOptions.Multiline)]
    private static partial Regex FilePath();

    private static string SourceDirectory([System.Runtime.CompilerServices.CallerFilePath] string path = "") => Path.GetDirectoryName(path)!;
}
