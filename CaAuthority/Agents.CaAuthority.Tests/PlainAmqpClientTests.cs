using System.Text.Json;
using Agents.CaAuthority.Tests.Support;
using Agents.Testing;

namespace Agents.CaAuthority.Tests;

/// <summary>docs/examples/ca_request.py, run with Debian's python3-pika: the CA answers a client that is not ours.</summary>
[Collection(CaCollection.Name)]
public sealed class PlainAmqpClientTests(CaFixture ca)
{
    private const string Python = "/usr/bin/python3";

    [Fact]
    public async Task a_pika_client_as_documented_creates_a_token_lists_providers_and_reads_a_refusal()
    {
        var providers = await RunAsync("ListCaProviders");
        Assert.Equal(0, providers.ExitCode);
        Assert.Equal("CaProviders", Lines(providers)[0]);
        Assert.Equal("root", JsonDocument.Parse(Lines(providers)[1]).RootElement.GetProperty("providers")[0].GetProperty("name").GetString());

        var holder = "urn:cloudstack:vm:" + Guid.NewGuid();
        var token = await RunAsync("CreateEnrollmentToken", $$"""{"holder": "{{holder}}", "routerId": "f3a1c2d4-5b6e-4f70-8a9b-0c1d2e3f4a5b", "ttlSeconds": 600}""");
        Assert.Equal(0, token.ExitCode);
        var created = JsonDocument.Parse(Lines(token)[1]).RootElement;
        Assert.Equal(holder, created.GetProperty("holder").GetString());
        Assert.StartsWith("etk_", created.GetProperty("token").GetString(), StringComparison.Ordinal);

        var refused = await RunAsync("RevokeCertificate", """{"serialNumber": "not-hex"}""");
        Assert.Equal(1, refused.ExitCode);
        Assert.Equal("CaError", Lines(refused)[0]);
        Assert.Equal(431, JsonDocument.Parse(Lines(refused)[1]).RootElement.GetProperty("errorCode").GetInt32());
    }

    private Task<ProcessResult> RunAsync(string type, string? body = null)
    {
        var script = Path.Combine(RepositoryPaths.Root, "docs", "examples", "ca_request.py");
        List<string> args = [script, ca.Broker.AmqpUri("producers"), type];
        if (body is not null) args.Add(body);
        return ProcessRunner.RunAsync(Python, args, timeout: TimeSpan.FromSeconds(60));
    }

    private static string[] Lines(ProcessResult result) =>
        result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries) is { Length: >= 2 } lines
            ? lines
            : throw new Xunit.Sdk.XunitException($"unexpected output: {result.Output}");
}
