using System.Collections.Concurrent;
using System.Net;
using Agents.Testing;

namespace Agents.IntegrationTests.Operations;

/// <summary>
/// The OTLP exporter, switched on by configuration only: a real CA process with
/// <c>Telemetry:Otlp:Endpoint</c> set sends its traces and metrics to a collector (this test,
/// answering OTLP over HTTP as a collector does), each signal on its own path under that base URL.
/// </summary>
[Collection(BrokerCollection.Name)]
public sealed class OtlpExportTests(BrokerFixture broker) : IDisposable
{
    private readonly TempDirectory _temp = new();

    [Fact]
    public async Task a_service_with_an_otlp_endpoint_exports_its_traces_and_metrics_there()
    {
        var collectorUrl = $"http://127.0.0.1:{FreePort.Next()}/";
        using var collector = new HttpListener();
        collector.Prefixes.Add(collectorUrl);
        collector.Start();
        var received = new ConcurrentQueue<(string Path, string? ContentType, long Bytes)>();
        var serving = ServeAsync(collector, received);

        var url = $"http://127.0.0.1:{FreePort.Next()}";
        await using var ca = ServiceProcess.StartDotnet("ca", ServiceProcess.DllOf("CaAuthority/Agents.CaAuthority"),
            [$"--RabbitMq:Uri={broker.AmqpUri("ca")}", $"--Ca:DataDirectory={_temp.Sub("ca")}", $"--Ca:HttpUrl={url}", $"--Telemetry:Otlp:Endpoint={collectorUrl}"],
            new ServiceProcessOptions
            {
                Environment = new Dictionary<string, string>
                {
                    ["AGENTS_CA_PASSPHRASE"] = "otlp-export-passphrase",
                    ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
                    // export within a second instead of the defaults' 5 s (spans) and 60 s (metrics)
                    ["OTEL_BSP_SCHEDULE_DELAY"] = "200",
                    ["OTEL_METRIC_EXPORT_INTERVAL"] = "1000",
                },
            });
        await ca.WaitForReadyAsync(url);
        using var http = new HttpClient();
        (await http.GetAsync(new Uri($"{url}/ca/certificate"))).EnsureSuccessStatusCode();

        var both = await Eventually.WithinAsync(() => Task.FromResult(
            received.Any(r => r.Path == "/v1/traces" && r.Bytes > 0) && received.Any(r => r.Path == "/v1/metrics" && r.Bytes > 0)), 60);
        collector.Stop();
        await serving;

        Assert.True(both, $"the collector received [{string.Join(", ", received.Select(r => $"{r.Path} {r.ContentType} {r.Bytes} B"))}]");
        Assert.All(received, r => Assert.Equal("application/x-protobuf", r.ContentType));
    }

    private static async Task ServeAsync(HttpListener listener, ConcurrentQueue<(string, string?, long)> received)
    {
        while (listener.IsListening)
        {
            HttpListenerContext context;
            try { context = await listener.GetContextAsync(); }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException) { return; }
            using var body = new MemoryStream();
            await context.Request.InputStream.CopyToAsync(body);
            received.Enqueue((context.Request.Url!.AbsolutePath, context.Request.ContentType, body.Length));
            // an empty ExportTraceServiceResponse / ExportMetricsServiceResponse: all accepted
            context.Response.StatusCode = 200;
            context.Response.ContentType = "application/x-protobuf";
            context.Response.Close();
        }
    }

    public void Dispose() => _temp.Dispose();
}
