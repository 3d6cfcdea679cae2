using System.Diagnostics;
using System.Runtime;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Agents.Bench.Pipeline;
using Agents.Bench.Report;
using Agents.CaAuthority.Hosting;
using Agents.CaAuthority.Issuance;
using Agents.CaAuthority.Options;
using Agents.CaAuthority.Providers;
using Agents.CaAuthority.Revocation;
using Agents.CaAuthority.Store;
using Agents.Contracts.Ca;
using Agents.Messaging;
using Agents.Security.Identity;
using Agents.VmAgent.Core.Identity;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.DependencyInjection;

namespace Agents.Bench.Figures;

/// <summary>
/// Certificates per second from ECDSA P-256 CSRs: the CA's root provider (CSR validation, signing
/// with its P-384 root, the SQLite inventory row written with synchronous=FULL, the
/// CertificateIssued event published with a confirm) next to bare .NET signing of the same CSRs
/// with a key of the same kind, both with the same number of requests in flight. The CPU each
/// certificate costs this process and the broker is measured beside the rates: on a machine whose
/// cores the CA shares with its broker, that is what bounds the provider's ratio.
/// </summary>
/// <param name="brokerMark">Text on the broker process's command line (its data directory): whose CPU is the broker's.</param>
public sealed class CaIssuance(string amqpUri, string brokerMark, string directory)
{
    private const int Rounds = 3;
    /// <summary>Certificates of each variant in one warm-up pass.</summary>
    private const int WarmUpCount = 200;
    /// <summary>The warm-up ends at a pass whose time went to the JIT less than this share.</summary>
    private const double QuietJit = 0.02;
    private static readonly TimeSpan MaxWarmUp = TimeSpan.FromSeconds(120);

    public async Task RunAsync(Results results, int certificates, int inFlight)
    {
        var csrs = Enumerable.Range(0, certificates).Select(_ =>
        {
            var (key, csr) = AgentIdentityStore.NewKeyAndCsr();
            key.Dispose();
            return csr;
        }).ToArray();

        var options = Options.Create(new CaOptions { DataDirectory = Directory.CreateDirectory(Path.Combine(directory, "ca")).FullName });
        var ca = RootCaKeys.LoadOrCreate(options.Value, NullLogger.Instance);
        var issuer = new CertificateIssuer(ca, options);
        var store = await SqlCaStore.OpenAsync(Agents.Storage.Database.Sqlite(Path.Combine(options.Value.DataDirectory, "ca.db")));
        await using var bus = new ServiceCollection().AddLogging()
            .AddRabbitMqMessaging(o => (o.Uri, o.ConnectionName) = (amqpUri, "bench-ca"))
            .BuildServiceProvider();
        var events = bus.GetRequiredService<IEventPublisher>();
        var provider = new RootCaProvider(ca, issuer, store, new CrlPublisher(ca, store, options), events, options, NullLogger<RootCaProvider>.Instance);

        Func<int, Task> rawSigner = RawSigner(), issuerAlone = i =>
        {
            var csr = ValidatedCsr.Parse(csrs[i], options.Value.MaxCsrBytes);
            using var leaf = issuer.Issue(csr.Request, csr.DnsNames, csr.IpAddresses, HolderIdentity.Vm($"vm-{i}").Uri, null, null).Certificate;
            return Task.CompletedTask;
        };
        var round = 0;
        Func<int, Task> issuerAndStore = async i =>
        {
            var csr = ValidatedCsr.Parse(csrs[i], options.Value.MaxCsrBytes);
            var leaf = issuer.Issue(csr.Request, csr.DnsNames, csr.IpAddresses, HolderIdentity.Vm($"vm-store-{round}-{i}").Uri, null, null);
            using (leaf.Certificate) await store.AddAsync(leaf.Record);
        };
        Func<int, Task> eventOnly = i => events.PublishAsync(new Agents.Contracts.Events.CertificateChanged
        {
            MessageId = Guid.NewGuid(), EventType = Agents.Contracts.Events.EventTypes.CertificateIssued, SerialNumber = $"{round:X4}{i:X8}",
            Subject = "CN=bench", Holder = HolderIdentity.Vm($"vm-event-{i}").Uri, NotAfter = DateTimeOffset.UtcNow, At = DateTimeOffset.UtcNow,
        }.ToEvent(), CancellationToken.None);
        Func<int, Task> fullProvider = i => provider.IssueAsync(new IssueCertificate { Csr = csrs[i], Holder = HolderIdentity.Vm($"vm-full-{round}-{i}").Uri, RouterId = "bench-router" }, CancellationToken.None);

        // warm-up: the variants in turn until the JIT has finished with them. Tiered compilation takes
        // thousands of issues to bring the provider's path (CA, SQLite, messaging) to its final code
        // (measured: 200-800 ms of JIT in each 1 s round of the first 30 or so), while raw signing is
        // mostly OpenSSL; a CA that has run for a minute no longer pays that, so the rounds measure after it
        Func<int, Task>[] variants = [rawSigner, issuerAlone, issuerAndStore, eventOnly, fullProvider];
        var (passes, warming, jitShare) = (0, Stopwatch.StartNew(), 1.0);
        for (round = 100; jitShare > QuietJit && warming.Elapsed < MaxWarmUp; round++, passes++)
        {
            var (jit, pass) = (JitInfo.GetCompilationTime(), Stopwatch.StartNew());
            foreach (var variant in variants) await RateAsync(WarmUpCount, inFlight, variant);
            jitShare = (JitInfo.GetCompilationTime() - jit).TotalSeconds / pass.Elapsed.TotalSeconds;
        }
        results.Add(new Figure("CA", $"warm-up before the rounds: passes of {WarmUpCount} of each variant until compiling took under {QuietJit:P0} of a pass ({passes} passes)",
            warming.Elapsed.TotalSeconds, "s", Goal: jitShare > QuietJit ? $"not quiet after {MaxWarmUp.TotalSeconds:0} s: {jitShare:P1}" : null));

        // three interleaved rounds, the median of each: noise from the rest of the machine hits all three alike
        List<Rate> raws = [], signOnlys = [], stored = [], published = [], fulls = [];
        var (measuredJit, measuring) = (JitInfo.GetCompilationTime(), Stopwatch.StartNew());
        for (round = 0; round < Rounds; round++)
        {
            raws.Add(await RateAsync(certificates / Rounds, inFlight, rawSigner));
            signOnlys.Add(await RateAsync(certificates / Rounds, inFlight, issuerAlone));
            stored.Add(await RateAsync(certificates / Rounds, inFlight, issuerAndStore));
            published.Add(await RateAsync(certificates / Rounds, inFlight, eventOnly));
            fulls.Add(await RateAsync(certificates / Rounds, inFlight, fullProvider));
        }
        var (raw, signOnly, full) = (Median(raws, r => r.PerSecond), Median(signOnlys, r => r.PerSecond), Median(fulls, r => r.PerSecond));
        results.Add(new Figure("CA", "share of the measured rounds' time the JIT spent compiling", (JitInfo.GetCompilationTime() - measuredJit).TotalSeconds / measuring.Elapsed.TotalSeconds * 100, "%"));

        results.Add(new Figure("CA", "raw .NET CertificateRequest signing (P-384 root)", raw, "cert/s"));
        results.Add(new Figure("CA", "CA issuer alone: CSR checks + signing", signOnly, "cert/s", raw, "raw .NET signing"));
        results.Add(new Figure("CA", "CA issuer + SQLite row (group commit, synchronous=FULL)", Median(stored, r => r.PerSecond), "cert/s", raw, "raw .NET signing"));
        results.Add(new Figure("CA", "CertificateIssued event alone, published with a confirm", Median(published, r => r.PerSecond), "msg/s", raw, "raw .NET signing"));
        results.Add(new Figure("CA", "CA provider: + SQLite row + confirmed event", full, "cert/s", raw, "raw .NET signing", "ratio >= 0.8"));
        // what each costs in CPU (lower is better): the provider's extra CPU, here and in the broker, over raw signing's
        var rawCpu = Median(raws, r => r.OwnCpuMs);
        results.Add(new Figure("CA", "CPU per certificate: raw .NET signing", rawCpu, "CPU-ms"));
        results.Add(new Figure("CA", "CPU per certificate: CA issuer alone", Median(signOnlys, r => r.OwnCpuMs), "CPU-ms", rawCpu, "raw signing's CPU"));
        results.Add(new Figure("CA", "CPU per certificate: CA issuer + SQLite row", Median(stored, r => r.OwnCpuMs), "CPU-ms", rawCpu, "raw signing's CPU"));
        results.Add(new Figure("CA", "CPU per event: confirmed publish, publisher side", Median(published, r => r.OwnCpuMs), "CPU-ms", rawCpu, "raw signing's CPU"));
        results.Add(new Figure("CA", "CPU per event: confirmed publish, broker side", Median(published, r => r.BrokerCpuMs), "CPU-ms", rawCpu, "raw signing's CPU"));
        results.Add(new Figure("CA", "CPU per certificate: CA provider, its own process", Median(fulls, r => r.OwnCpuMs), "CPU-ms", rawCpu, "raw signing's CPU"));
        results.Add(new Figure("CA", "CPU per certificate: CA provider, the broker", Median(fulls, r => r.BrokerCpuMs), "CPU-ms", rawCpu, "raw signing's CPU"));

        Func<int, Task> RawSigner()
        {
            var rootKey = ECDsa.Create(ECCurve.NamedCurves.nistP384);
            var rootRequest = new CertificateRequest("CN=raw bench root", rootKey, HashAlgorithmName.SHA384);
            rootRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
            var root = rootRequest.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));
            var generator = X509SignatureGenerator.CreateForECDsa(rootKey);
            return i =>
            {
                var request = CertificateRequest.LoadSigningRequestPem(csrs[i], HashAlgorithmName.SHA384);
                var leaf = new CertificateRequest(request.SubjectName, request.PublicKey, HashAlgorithmName.SHA384);
                var san = new SubjectAlternativeNameBuilder();
                san.AddUri(new Uri(HolderIdentity.Vm($"vm-{i}").Uri));
                leaf.CertificateExtensions.Add(san.Build());
                using var signed = leaf.Create(root.SubjectName, generator, DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(30), RandomNumberGenerator.GetBytes(16));
                return Task.CompletedTask;
            };
        }
    }

    /// <summary>A phase's rate and the CPU milliseconds each item cost this process and the broker.</summary>
    private sealed record Rate(double PerSecond, double OwnCpuMs, double BrokerCpuMs);

    private static double Median(List<Rate> rates, Func<Rate, double> of) => Latency.Percentile([.. rates.Select(of)], 50);

    private async Task<Rate> RateAsync(int count, int inFlight, Func<int, Task> issue)
    {
        for (var i = 0; i < Math.Min(20, count); i++) await issue(i); // warm-up
        var next = -1;
        var (own, broker) = (ProcessCpu.Seconds(Environment.ProcessId), ProcessCpu.SecondsOfMatching(brokerMark));
        var watch = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, inFlight).Select(_ => Task.Run(async () =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < count) await issue(i);
        })));
        var seconds = watch.Elapsed.TotalSeconds;
        return new Rate(count / seconds,
            (ProcessCpu.Seconds(Environment.ProcessId) - own) * 1000 / count,
            (ProcessCpu.SecondsOfMatching(brokerMark) - broker) * 1000 / count);
    }
}
