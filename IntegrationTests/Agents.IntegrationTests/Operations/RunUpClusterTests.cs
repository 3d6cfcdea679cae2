using System.Text.Json.Nodes;
using Agents.Producers.Client;
using Agents.Testing;
using Xunit.Abstractions;

namespace Agents.IntegrationTests.Operations;

/// <summary>
/// <c>./run up --cluster</c> and <c>./run down</c> for real, from the built tree: the script runs in a
/// temporary root whose entries link to this repository's (so its <c>.run/</c>, stack.json and data
/// are the test's own and a developer's stack is left alone). stack.json names every instance; the
/// API answers through the front and through each instance; after <c>./run down</c> no process of
/// the stack is left, MariaDB included.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class RunUpClusterTests(ITestOutputHelper output) : IDisposable
{
    private static readonly string[] Expected = ["rabbitmq", "mariadb", "ca-1", "ca-2", "consumers-1", "consumers-2", "api-1", "api-2", "front"];
    private readonly TempDirectory _temp = new();

    [Fact]
    [Trait("Category", "Slow")]
    public async Task run_up_cluster_starts_every_instance_named_in_stack_json_and_run_down_leaves_no_process()
    {
        var root = Directory.CreateDirectory(Path.Combine(_temp.Path, "tree")).FullName;
        foreach (var entry in Directory.EnumerateFileSystemEntries(RepositoryPaths.Root).Select(Path.GetFileName).Where(n => n is not (".run" or ".git")))
            File.CreateSymbolicLink(Path.Combine(root, entry!), Path.Combine(RepositoryPaths.Root, entry!));
        var env = new Dictionary<string, string> { ["AGENTS_PREBUILT"] = "1", ["NO_COLOR"] = "1" };
        var run = Path.Combine(root, "run");
        var stackFile = Path.Combine(root, ".run", "stack.json");
        List<int> pids = [];
        try
        {
            var up = await ProcessRunner.RunAsync(run, ["up", "--cluster"], env, TimeSpan.FromMinutes(6));
            output.WriteLine(up.Output);
            Assert.True(up.ExitCode == 0, up.Output);

            var stack = JsonNode.Parse(await File.ReadAllTextAsync(stackFile))!;
            var instances = stack["instances"]!.AsArray().Select(i => (Name: i!["name"]!.GetValue<string>(), Url: i["url"]?.GetValue<string>(), Pid: i["pid"]?.GetValue<int?>())).ToList();
            pids = [stack["pid"]!.GetValue<int>(), .. instances.Where(i => i.Pid is not null).Select(i => i.Pid!.Value)];
            Assert.True(stack["cluster"]!.GetValue<bool>());
            foreach (var name in Expected) Assert.Contains(instances, i => i.Name == name);
            Assert.All(pids, pid => Assert.True(IsAlive(pid), $"pid {pid} of the stack is not running"));
            Assert.Contains(instances, i => i.Name == "mariadb" && i.Pid is not null);
            // the broker has no pid in stack.json: the look for leftovers finds it by its data directory under the root
            Assert.Contains(ProcessesUnder(root), pid => Describe(pid).Contains("beam", StringComparison.Ordinal));

            // one call through the front, one through each API instance
            var keys = new ApiKeys(stack["apiKey"]!.GetValue<string>(), stack["secretKey"]!.GetValue<string>());
            var apiUrls = new[] { stack["apiUrl"]!.GetValue<string>() }.Concat(instances.Where(i => i.Name.StartsWith("api-", StringComparison.Ordinal)).Select(i => i.Url!)).ToList();
            Assert.Equal(3, apiUrls.Count);
            foreach (var url in apiUrls)
            {
                using var client = new CloudStackClient(CloudStackClient.EndpointOf(url), keys);
                var vms = await client.CallAsync("listVirtualMachines", ("listall", "true"));
                Assert.True(vms["count"]?.GetValue<int>() >= 3, $"{url}: {vms.ToJsonString()}");
            }
        }
        finally
        {
            var down = await ProcessRunner.RunAsync(run, ["down"], env, TimeSpan.FromMinutes(3));
            output.WriteLine(down.Output);
            var left = pids.Where(IsAlive).Concat(ProcessesUnder(root)).Distinct().ToList();
            // the test cleans up after a failure, then fails: only the processes this stack started
            foreach (var pid in left) Kill(pid);
            Assert.True(down.ExitCode == 0, down.Output);
            Assert.True(left.Count == 0, $"left running after ./run down: {string.Join(", ", left.Select(Describe))}");
        }
        Assert.False(File.Exists(stackFile), "stack.json outlived the stack");
    }

    private static bool IsAlive(int pid) => Directory.Exists($"/proc/{pid}") && !File.ReadAllText($"/proc/{pid}/stat").Contains(") Z ", StringComparison.Ordinal);

    /// <summary>Live processes whose command line names the temporary root (every service, agent, broker and MariaDB of the stack does).</summary>
    private static IEnumerable<int> ProcessesUnder(string root)
    {
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid) || pid == Environment.ProcessId) continue;
            string commandLine;
            try { commandLine = File.ReadAllText(Path.Combine(dir, "cmdline")).Replace('\0', ' '); }
            catch (IOException) { continue; }
            catch (UnauthorizedAccessException) { continue; }
            if (commandLine.Contains(root, StringComparison.Ordinal) && IsAlive(pid)) yield return pid;
        }
    }

    private static string Describe(int pid)
    {
        try { return $"{pid} ({File.ReadAllText($"/proc/{pid}/cmdline").Replace('\0', ' ').Trim()})"; }
        catch (IOException) { return pid.ToString(System.Globalization.CultureInfo.InvariantCulture); }
    }

    private static void Kill(int pid)
    {
        try { System.Diagnostics.Process.GetProcessById(pid).Kill(entireProcessTree: true); }
        catch (ArgumentException) { /* gone meanwhile */ }
        catch (InvalidOperationException) { /* gone meanwhile */ }
    }

    public void Dispose()
    {
        // the links go first, never followed (find -delete unlinks a symbolic link): the repository stays whole
        using (var unlink = System.Diagnostics.Process.Start("find", [_temp.Path, "-maxdepth", "2", "-type", "l", "-delete"]))
            unlink.WaitForExit();
        var tree = Path.Combine(_temp.Path, "tree");
        if (Directory.Exists(tree) && Directory.EnumerateFileSystemEntries(tree).Any(e => new FileInfo(e).LinkTarget is not null)) return;
        _temp.Dispose();
    }
}
