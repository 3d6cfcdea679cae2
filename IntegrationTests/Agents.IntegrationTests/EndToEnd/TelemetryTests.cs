using System.Text.Json.Nodes;
using Agents.Demo.Stack;
using Agents.Testing;

namespace Agents.IntegrationTests.EndToEnd;

/// <summary>
/// Metrics and traces of the running stack, read as an operator's tools read them: each service's
/// Prometheus scrape endpoint, and the trace id in the services' CLEF logs and the agent's log.
/// </summary>
[Collection(StackCollection.Name)]
public sealed class TelemetryTests(StackFixture fixture) : IDisposable
{
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(30) };
    private StackLayout Layout => fixture.Stack.Layout;
    private DemoVm Vm => Layout.Vms[1];

    [Fact]
    public async Task every_services_metrics_move_with_a_password_reset_through_api_broker_bridge_and_agent_and_a_ca_request()
    {
        var before = await ScrapeAllAsync();

        var job = await fixture.Stack.Api.RunJobAsync("resetPasswordForVirtualMachine", ("id", Vm.Id));
        job.EnsureSucceeded();
        // the CA: a reset asks it for the VM's certificate only when the API does not keep it already
        // (HolderCertificates), so an operator's listCaCertificate is what it answers here
        await fixture.Stack.Api.CallAsync("listCaCertificate");

        // the outcome's delivery to the API and the audit of the last events follow the job's answer by a moment
        Dictionary<string, PrometheusScrape> after = [];
        var unmoved = new List<string>();
        await Eventually.WithinAsync(async () =>
        {
            after = await ScrapeAllAsync();
            unmoved = [.. Expectations().Where(e => !(Value(after, e) >= Value(before, e) + e.AtLeast)).Select(e => e.ToString())];
            return unmoved.Count == 0;
        }, 60);

        Assert.True(unmoved.Count == 0, "did not move: " + string.Join("; ", unmoved));
        Assert.True(after["bridge"].Sum("agents_bridge_agents_connected", ("router", StackLayout.RouterId)) >= 1, "no agent counted as connected to the bridge");
        // the inventory gauge reads the CA's last count, refreshed after a scrape finds it a few seconds old
        var certificates = 0d;
        await Eventually.WithinAsync(async () =>
        {
            certificates = (await PrometheusScrape.GetAsync(_http, Layout.CaUrl)).Sum("agents_ca_certificates");
            return certificates >= Layout.Vms.Count + 1;
        }, 30);
        Assert.True(certificates >= Layout.Vms.Count + 1, $"the CA's inventory gauge counts {certificates} valid certificates, not the router's and the {Layout.Vms.Count} agents'");
        Assert.Equal("histogram", after["api"].Types["agents_jobs_duration_seconds"]);
        Assert.Equal("counter", after["api"].Types["agents_commands_published_total"]);
    }

    [Fact]
    public async Task one_command_has_one_trace_id_in_the_api_the_bridge_and_the_agent_logs()
    {
        var job = await fixture.Stack.Api.RunJobAsync("resetPasswordForVirtualMachine", ("id", Vm.Id));
        job.EnsureSucceeded();
        var jobId = job.JobId;

        // the API: the request that created and sent the job, and the outcome that completed it, in one trace
        List<JsonObject> api = [];
        await Eventually.TrueAsync(() =>
        {
            api = ClefEvents("producers").Where(e => IsJob(e, jobId)).ToList();
            return Task.FromResult(api.Any(e => ((string?)e["@mt"])?.StartsWith("Job {JobId} ({Command}) {ProcessStatus}", StringComparison.Ordinal) == true));
        }, $"the API's completion line of job {jobId}");
        var traces = api.Select(e => (string?)e["@tr"]).Distinct().ToList();
        Assert.True(traces.Count == 1 && traces[0] is { Length: 32 }, $"the API's lines of job {jobId} carry trace ids {string.Join(", ", traces)}");
        var traceId = traces[0]!;

        var bridge = ClefEvents("bridge").Where(e => IsJob(e, jobId)).ToList();
        Assert.NotEmpty(bridge);
        Assert.All(bridge, e => Assert.Equal(traceId, (string?)e["@tr"]));

        var agentLog = Layout.LogFile("agent-" + Vm.Name);
        var agentLines = ReadShared(agentLog).Split('\n').Where(l => l.Contains($"job {jobId}", StringComparison.OrdinalIgnoreCase)).ToList();
        Assert.Contains(agentLines, l => l.Contains("received", StringComparison.Ordinal) && l.Contains($"(trace {traceId})", StringComparison.Ordinal));
        Assert.Contains(agentLines, l => l.Contains("answered Success", StringComparison.Ordinal) && l.Contains($"(trace {traceId})", StringComparison.Ordinal));
    }

    [Fact]
    public async Task a_command_retried_while_its_agent_is_gone_keeps_one_trace_through_every_attempt_and_its_alert_is_counted()
    {
        var vm = Layout.Vms[0];
        var alertsBefore = (await PrometheusScrape.GetAsync(_http, Layout.ConsumersHealthUrl)).Sum("agents_alerts_recorded_total");
        await fixture.Stack.StopAgentAsync(vm.Id);
        try
        {
            // the demo's settings: 2 retries after a 5 s delivery timeout, 2 s apart; then the job fails
            var job = await fixture.Stack.Api.RunJobAsync("resetPasswordForVirtualMachine", ("id", vm.Id));
            Assert.Equal(Agents.Contracts.Events.AsyncJobStatus.Failed, job.Status);

            List<JsonObject> sent = [];
            await Eventually.TrueAsync(() =>
            {
                sent = ClefEvents("producers").Where(e => IsJob(e, job.JobId) && ((string?)e["@mt"])?.StartsWith("Job {JobId}: sent", StringComparison.Ordinal) == true).ToList();
                return Task.FromResult(sent.Count >= 2);
            }, $"the API's lines of every attempt of job {job.JobId}");
            var traces = sent.Select(e => (string?)e["@tr"]).Distinct().ToList();
            Assert.True(traces.Count == 1 && traces[0] is { Length: 32 }, $"the {sent.Count} attempts of job {job.JobId} were sent under traces {string.Join(", ", traces)}");
            var bridge = ClefEvents("bridge").Where(e => IsJob(e, job.JobId)).ToList();
            Assert.True(bridge.Count >= 2, $"the bridge logged {bridge.Count} outcomes of job {job.JobId}");
            Assert.All(bridge, e => Assert.Equal(traces[0], (string?)e["@tr"]));

            // the give-up raised the agent-unreachable alert: the consumers record it in its group (opened, grouped or throttled)
            var alertsAfter = alertsBefore;
            await Eventually.WithinAsync(async () =>
            {
                alertsAfter = (await PrometheusScrape.GetAsync(_http, Layout.ConsumersHealthUrl)).Sum("agents_alerts_recorded_total");
                return alertsAfter > alertsBefore;
            }, 30);
            Assert.True(alertsAfter > alertsBefore, $"agents_alerts_recorded_total stayed at {alertsBefore}");
        }
        finally
        {
            await fixture.Stack.RestartAgentAsync(vm, reenroll: false);
        }
    }

    /// <summary>The counters a password reset (and, for the CA, listCaCertificate) must move, per service, and by how much at least.</summary>
    private static IEnumerable<Expectation> Expectations() =>
    [
        new("api", "agents_commands_published_total", [("command", "ResetVmPassword")]),
        new("api", "agents_commands_completed_total", [("command", "ResetVmPassword"), ("outcome", "Success")]),
        new("api", "agents_jobs_completed_total", [("status", "succeeded")]),
        new("api", "agents_jobs_duration_seconds_count", [("status", "succeeded")]),
        new("api", "agents_messaging_publish_confirms_total", [("exchange", "agents.commands")]),
        new("bridge", "agents_commands_relayed_total", [("command", "ResetVmPassword"), ("outcome", "Success")]),
        new("bridge", "agents_commands_relay_duration_seconds_count", [("command", "ResetVmPassword")]),
        new("bridge", "agents_messaging_publish_confirms_total", [("exchange", "cloudstack-events")]),
        new("bridge", "agents_messaging_deliveries_total", [("disposition", "ack")]),
        new("ca", "agents_ca_requests_total", [("type", "GetCaCertificate"), ("result", "answered")]),
        new("ca", "agents_messaging_publish_confirms_total", []),
        new("consumers", "agents_audit_events_total", []),
    ];

    private sealed record Expectation(string Service, string Metric, (string Label, string Value)[] Labels, double AtLeast = 1)
    {
        public override string ToString() => $"{Service} {Metric}{{{string.Join(",", Labels.Select(l => $"{l.Label}=\"{l.Value}\""))}}}";
    }

    private static double Value(Dictionary<string, PrometheusScrape> scrapes, Expectation e) => scrapes[e.Service].Sum(e.Metric, e.Labels);

    private async Task<Dictionary<string, PrometheusScrape>> ScrapeAllAsync() => new()
    {
        ["api"] = await PrometheusScrape.GetAsync(_http, Layout.ApiUrl),
        ["ca"] = await PrometheusScrape.GetAsync(_http, Layout.CaUrl),
        ["consumers"] = await PrometheusScrape.GetAsync(_http, Layout.ConsumersHealthUrl),
        ["bridge"] = await PrometheusScrape.GetAsync(_http, Layout.BridgeHealthUrl),
    };

    private static bool IsJob(JsonObject e, string jobId) => string.Equals((string?)e["JobId"], jobId, StringComparison.OrdinalIgnoreCase);

    private IEnumerable<JsonObject> ClefEvents(string service) =>
        ReadShared(Path.Combine(Layout.LogDirectory, service + ".log.json")).Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(Parse).OfType<JsonObject>();

    /// <summary>A line of the log; null for the last one while its writer is still at it.</summary>
    private static JsonObject? Parse(string line)
    {
        try { return JsonNode.Parse(line) as JsonObject; }
        catch (System.Text.Json.JsonException) { return null; }
    }

    private static string ReadShared(string file)
    {
        if (!File.Exists(file)) return "";
        using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    public void Dispose() => _http.Dispose();
}
