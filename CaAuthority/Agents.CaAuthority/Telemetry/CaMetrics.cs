using System.Diagnostics.Metrics;
using Agents.CaAuthority.Store;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Agents.CaAuthority.Telemetry;

/// <summary>
/// The CA's instruments (meter <c>Agents.CaAuthority</c>): requests answered, and the valid
/// certificates of the inventory by days to expiry. The inventory is counted by one grouped query
/// every <see cref="RefreshInterval"/>, and after a scrape that found the count older than
/// <see cref="StaleAfter"/>; never on the scrape itself, which reads the last count.
/// </summary>
public sealed class CaMetrics : BackgroundService
{
    public const string MeterName = "Agents.CaAuthority";
    public static readonly TimeSpan RefreshInterval = TimeSpan.FromSeconds(30);
    public static readonly TimeSpan StaleAfter = TimeSpan.FromSeconds(5);

    private readonly ICaStore _store;
    private readonly TimeProvider _time = TimeProvider.System;
    private readonly ILogger<CaMetrics> _logger;
    private readonly Counter<long> _requests;
    private volatile CertificateExpiryCounts? _counts;
    private long _countedAt;
    private int _refreshing;

    public CaMetrics(IMeterFactory meters, ICaStore store, ILogger<CaMetrics> logger)
    {
        ArgumentNullException.ThrowIfNull(meters);
        _store = store;
        _logger = logger;
        var meter = meters.Create(MeterName);
        _requests = meter.CreateCounter<long>("agents.ca.requests", "{request}",
            "Requests on ca.requests answered, by request type and result (answered, refused, failed)");
        meter.CreateObservableGauge("agents.ca.certificates", ObserveCertificates, "{certificate}",
            "Valid (neither revoked nor superseded) certificates of the inventory, by days to expiry: expired, 0-7, 7-30, 30-90, 90+");
    }

    public void Answered(string requestType, string result) =>
        _requests.Add(1, new KeyValuePair<string, object?>("type", requestType), new KeyValuePair<string, object?>("result", result));

    private IEnumerable<Measurement<long>> ObserveCertificates()
    {
        if (_time.GetUtcNow().UtcTicks - Interlocked.Read(ref _countedAt) > StaleAfter.Ticks) _ = RefreshAsync(CancellationToken.None);
        if (_counts is not { } counts) yield break;
        foreach (var (bucket, count) in counts.Buckets)
            yield return new Measurement<long>(count, new KeyValuePair<string, object?>("days_to_expiry", bucket));
    }

    /// <summary>One count at a time; a refresh asked for while one runs is that one.</summary>
    private async Task RefreshAsync(CancellationToken ct)
    {
        if (Interlocked.Exchange(ref _refreshing, 1) == 1) return;
        try
        {
            var now = _time.GetUtcNow();
            _counts = await _store.CountByExpiryAsync(now, ct).ConfigureAwait(false);
            Interlocked.Exchange(ref _countedAt, now.UtcTicks);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            _logger.LogWarning("Certificate expiry counts for the metrics not refreshed: {Error}", e.Message);
        }
        finally
        {
            Interlocked.Exchange(ref _refreshing, 0);
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(RefreshInterval, _time);
        try
        {
            do await RefreshAsync(stoppingToken).ConfigureAwait(false);
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // stopping
        }
    }
}
