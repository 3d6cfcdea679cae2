using Agents.Testing;

namespace Agents.IntegrationTests.Deployment;

/// <summary>docker-compose.yml cannot run here (no Docker engine); what can be checked without one is.</summary>
public sealed class DockerComposeTests
{
    [Fact]
    public async Task the_compose_file_parses_and_its_paths_ports_and_names_agree_with_the_configs()
    {
        var script = Path.Combine(AppContext.BaseDirectory, "Deployment", "compose_check.py");
        var result = await ProcessRunner.RunAsync("/usr/bin/python3", [script, RepositoryPaths.Root], timeout: TimeSpan.FromSeconds(60));
        Assert.True(result.ExitCode == 0, $"docker-compose.yml does not agree with the repository:\n{result.Output}");
        Assert.Matches(@"^\d+ checks passed", result.Stdout.Trim());
    }
}
