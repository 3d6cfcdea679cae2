using System.Diagnostics;
using Agents.Bench.Pipeline;
using Agents.Bench.Report;
using Agents.Contracts.Events;
using Agents.Producers.Client;
using Agents.Testing;

namespace Agents.Bench.Figures;

/// <summary>
/// The management cluster on this machine: a private MariaDB, the bench's broker node, K bridge
/// processes (a fresh router each) with M real agents each. API saturation (single-target
/// runAgentRecipe jobs, N in flight, each polled to success) for one API on SQLite, one API on
/// MariaDB and two API instances on that database (clients round-robin); then the simulation of
/// issue 22: one runAgentRecipe per router through the two instances (alternating) until every job
/// completes, next to the prediction of docs/scale.md's model (CPU-seconds per target, all
/// processes sharing this machine's cores, and the rate a calibration over a tenth of the routers
/// reached). CPU time per process group is read from /proc.
/// </summary>
public sealed class ClusterScale(RabbitMqNode node, TestPki pki, string directory)
{
    private const string Section = "cluster";
    private const string AdminApiKey = "bench-cluster-admin-api-key-0123456789";
    private const string AdminSecretKey = "bench-cluster-admin-secret-key-0123456789";
    private const string MasterKey = "bench-cluster-master-key-0123456789abcdef";
    private static readonly TimeSpan JobTimeout = TimeSpan.FromMinutes(30);

    /// <summary>Each router's fan-out job sends this many targets at a time (its maxconcurrency); null: all its agents at once.</summary>
    public int? FanOutConcurrency { get; init; }

    private readonly List<BridgeProcess> _bridges = [];
    private readonly List<AgentFleet> _fleets = [];
    private readonly List<ServiceProcess> _apis = [];
    private MariaDbNode? _mariadb;

    /// <param name="fanOutOnly">Only the simulation (the saturation figures left out): the large runs of docs/scale.md (--cluster-size 50x200).</param>
    public async Task RunAsync(Results results, int bridges, int agentsPerBridge, int jobs, int inFlight, bool fanOutOnly = false)
    {
        try { await MeasureAsync(results, bridges, agentsPerBridge, jobs, inFlight, fanOutOnly); }
        finally
        {
            foreach (var api in _apis) await api.DisposeAsync();
            foreach (var fleet in _fleets) await fleet.DisposeAsync();
            foreach (var bridge in _bridges) await bridge.DisposeAsync();
            if (_mariadb is not null) await _mariadb.DisposeAsync();
        }
    }

    private async Task MeasureAsync(Results results, int bridges, int agentsPerBridge, int jobs, int inFlight, bool fanOutOnly)
    {
        _mariadb = new MariaDbNode();
        await _mariadb.StartAsync();
        var connectionString = await _mariadb.CreateDatabaseAsync("bench_cluster");
        var cores = Environment.ProcessorCount;
        var meter = new CpuMeter(this, node, _mariadb);

        var watch = Stopwatch.StartNew();
        for (var k = 0; k < bridges; k++)
        {
            var bridge = new BridgeProcess(pki, node.AmqpUri(), Path.Combine(directory, $"cluster-bridge-{k:D2}"), routerId: Guid.NewGuid().ToString(),
                outputToLogFileOnly: true);
            _bridges.Add(bridge);
            await bridge.StartAsync(TimeSpan.FromSeconds(120));
        }
        for (var k = 0; k < bridges; k++)
        {
            var fleet = new AgentFleet(pki, Path.Combine(directory, $"cluster-fleet-{k:D2}"), _bridges[k].Port, vmIdPrefix: $"r{k:D2}-vm-");
            _fleets.Add(fleet);
            await fleet.GrowToAsync(agentsPerBridge, TimeSpan.FromMinutes(5));
        }
        var all = bridges * agentsPerBridge;
        Console.WriteLine($"  {bridges} bridges, {all} agents connected in {watch.Elapsed.TotalSeconds:0} s");
        results.Add(new Figure(Section, $"{bridges} bridge processes x {agentsPerBridge} agents: time to start and connect them", watch.Elapsed.TotalSeconds, "s"));

        Console.WriteLine($"  memory: {Memory()}");
        results.Note($"cluster: {bridges} bridges x {agentsPerBridge} agents connected; {Memory()}");
        if (fanOutOnly)
        {
            var a = await StartApiAsync("api-a", connectionString);
            using var onA = Client(a);
            for (var k = 0; k < _bridges.Count; k++)
                await RegisterAsync([onA], _bridges[k].RouterId, Enumerable.Range(0, _fleets[k].Count).Select(_fleets[k].IdOf).ToList());
            var b = await StartApiAsync("api-b", connectionString);
            using var onB = Client(b);
            await SimulationAsync(results, meter, onA, onB, all, cores, null);
            return;
        }

        // 1. one API on SQLite (the default), over the agents of the first router
        var saturationVms = Enumerable.Range(0, agentsPerBridge).Select(_fleets[0].IdOf).ToList();
        var sqlite = await StartApiAsync("api-sqlite", null);
        using (var client = Client(sqlite))
        {
            await RegisterAsync([client], _bridges[0].RouterId, saturationVms);
            var one = await SaturationAsync(meter, [client], saturationVms, jobs, inFlight);
            results.Add(new Figure(Section, $"API saturation: one API on SQLite (single-target runAgentRecipe, {inFlight} in flight)", one.PerSecond, "jobs/s",
                Goal: "the baseline of the two figures below"));
            results.Add(new Figure(Section, "CPU per job, all processes (one API on SQLite)", one.CpuPerJob * 1000, "CPU-ms"));
            await StopApiAsync(sqlite);
            await SaturationFiguresAsync(results, one, meter, connectionString, saturationVms, jobs, inFlight, all, cores);
        }
    }

    private async Task SaturationFiguresAsync(Results results, Saturation sqlite, CpuMeter meter, string connectionString, IReadOnlyList<string> saturationVms,
        int jobs, int inFlight, int all, int cores)
    {
        // 2. one API on MariaDB; every VM of every router registered through it
        var a = await StartApiAsync("api-a", connectionString);
        using var onA = Client(a);
        for (var k = 0; k < _bridges.Count; k++)
            await RegisterAsync([onA], _bridges[k].RouterId, Enumerable.Range(0, _fleets[k].Count).Select(_fleets[k].IdOf).ToList());
        var single = await SaturationAsync(meter, [onA], saturationVms, jobs, inFlight);
        results.Add(new Figure(Section, $"API saturation: one API on MariaDB ({inFlight} in flight)", single.PerSecond, "jobs/s", sqlite.PerSecond, "one API on SQLite",
            Goal: "same machine, the shared engine"));
        results.Add(new Figure(Section, "CPU per job, all processes (one API on MariaDB)", single.CpuPerJob * 1000, "CPU-ms"));

        // 3. two API instances on the same database, clients split round-robin
        var b = await StartApiAsync("api-b", connectionString);
        using var onB = Client(b);
        var two = await SaturationAsync(meter, [onA, onB], saturationVms, jobs, inFlight);
        results.Add(new Figure(Section, $"API saturation: two APIs on one MariaDB, round-robin ({inFlight} in flight)", two.PerSecond, "jobs/s", sqlite.PerSecond, "one API on SQLite",
            Goal: "scale-out: > one on MariaDB where cores are free"));
        results.Add(new Figure(Section, "CPU per job, all processes (two APIs on MariaDB)", two.CpuPerJob * 1000, "CPU-ms"));
        results.Add(new Figure(Section, "cores busy during the two-API saturation", two.CoresBusy, "cores", Goal: $"{cores} on this machine"));
        Console.WriteLine($"  CPU by process during the two-API saturation (CPU-ms per job): {two.Breakdown}");

        await SimulationAsync(results, meter, onA, onB, all, cores, two);
    }

    /// <summary>
    /// The simulation: the model (docs/scale.md) predicts the fan-out to every agent from a calibration
    /// in the same run, then the fan-out is measured. Calibration: the stack idle for 10 s (every agent
    /// connected, no command: what the processes cost by just being there), then the fan-out of a tenth
    /// of the routers (at least two), through both APIs at the run's maxconcurrency: a lone router's job
    /// carries the job's fixed costs and too little load to show the host's limits (the simulated agents'
    /// recipe processes, all started by one process). Model: targets x CPU per target above idle / the
    /// cores the calibration obtained above idle; with both from the calibration, its rate carried to
    /// every target.
    /// </summary>
    private async Task SimulationAsync(Results results, CpuMeter meter, CloudStackClient onA, CloudStackClient onB, int all, int cores, Saturation? two)
    {
        var simulation = $"simulation: fan-out to {all} agents, {_bridges.Count} runAgentRecipe (one per router) through two APIs" +
            (FanOutConcurrency is { } n ? $", maxconcurrency {n}" : "");
        var idleBefore = meter.Read();
        var idleStarted = Stopwatch.GetTimestamp();
        await Task.Delay(TimeSpan.FromSeconds(10));
        var idle = (meter.Read() - idleBefore).Total / Stopwatch.GetElapsedTime(idleStarted).TotalSeconds;
        Console.WriteLine($"  idle, every agent connected: {idle:0.00} cores busy");

        var calRouters = Math.Min(_bridges.Count, Math.Max(2, _bridges.Count / 10));
        var calBefore = meter.Read();
        var calStarted = Stopwatch.GetTimestamp();
        var calibration = await FanOutAsync([onA, onB], [.. Enumerable.Range(0, calRouters)]);
        var calSeconds = Stopwatch.GetElapsedTime(calStarted).TotalSeconds;
        var calUsed = meter.Read() - calBefore;
        var calTargets = _fleets.Take(calRouters).Sum(f => f.Count);
        var perTarget = Math.Max(0, calUsed.Total - idle * calSeconds) / calTargets;
        var obtained = calUsed.Total / calSeconds;
        // targets x CPU per target above idle / (cores obtained - idle), both from the calibration: its rate, carried to every target
        var predicted = all * calSeconds / calTargets;
        Console.WriteLine($"  calibration: {calRouters} routers, {calTargets} targets in {calSeconds:0.0} s, {perTarget * 1000:0.0} CPU-ms per target above idle, {obtained:0.00} cores obtained; " +
            $"CPU-ms per target by process: {calUsed.PerUnit(calTargets)}");
        if (calibration.Any(o => o.Status != AsyncJobStatus.Succeeded)) results.Note("cluster simulation: the calibration fan-out did not succeed");

        var before = meter.Read();
        var started = Stopwatch.GetTimestamp();
        var outcomes = await FanOutAsync([onA, onB], [.. Enumerable.Range(0, _bridges.Count)]);
        var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
        var used = meter.Read() - before;
        var failed = outcomes.Count(o => o.Status != AsyncJobStatus.Succeeded);
        results.Add(new Figure(simulation, "wall time until every job completed", seconds, "s", predicted,
            $"model: targets x CPU per target / (cores obtained - idle), from {calRouters} routers' fan-out"));
        results.Add(new Figure(simulation, "targets per second", all / seconds, "targets/s", all / predicted, "model's rate"));
        results.Add(new Figure(simulation, "CPU per target above idle, all processes", (used.Total - idle * seconds) / all * 1000, "CPU-ms", perTarget * 1000,
            $"calibration: {calRouters} routers' {calTargets} targets"));
        results.Add(new Figure(simulation, "idle cost of the stack (every agent connected, no command)", idle, "cores"));
        results.Add(new Figure(simulation, "cores busy", used.Total / seconds, "cores", obtained, "during the calibration", Goal: $"{cores} on this machine"));
        if (two is not null)
            results.Add(new Figure(simulation, "first model: targets x CPU per single-target job / cores", all * two.CpuPerJob / cores, "s"));
        Console.WriteLine($"  fan-out: {seconds:0.0} s (model {predicted:0.0} s); CPU by process (CPU-ms per target): {used.PerUnit(all)}; {Memory()}");
        results.Note($"cluster simulation, CPU-ms per target by process: {used.PerUnit(all)}; calibration ({calRouters} routers): {calUsed.PerUnit(calTargets)}; idle {idle:0.00} cores; {Memory()}" +
            (two is null ? "" : $"; two-API saturation, CPU-ms per job: {two.Breakdown}"));
        if (failed > 0) results.Note($"cluster simulation: {failed} of {outcomes.Count} fan-out jobs did not succeed, the first: {outcomes.First(o => o.Status != AsyncJobStatus.Succeeded).Result}");
    }

    /// <summary>One runAgentRecipe per router named (all its agents at once), the APIs taken in turn, each waited for.</summary>
    private async Task<IReadOnlyList<AsyncJob>> FanOutAsync(IReadOnlyList<CloudStackClient> apis, IReadOnlyList<int> routers) =>
        await Task.WhenAll(routers.Select(async (k, i) =>
        {
            var api = apis[i % apis.Count];
            var job = await api.CallAsync("runAgentRecipe", [new("routerid", _bridges[k].RouterId), new("name", AgentFleet.Recipe),
                new("maxconcurrency", (FanOutConcurrency ?? _fleets[k].Count).ToString(System.Globalization.CultureInfo.InvariantCulture))], CancellationToken.None);
            return await api.WaitForJobAsync(ResponseValues.Text(job["jobid"]), JobWaitOptions.Every(TimeSpan.FromSeconds(1), JobTimeout));
        }));

    /// <summary>Memory of the stack: the machine's available memory and the resident size of the bench, the bridges and the APIs.</summary>
    private string Memory()
    {
        static double MiB(long bytes) => bytes / 1048576.0;
        var available = File.ReadLines("/proc/meminfo").First(l => l.StartsWith("MemAvailable:", StringComparison.Ordinal)).Split(' ', StringSplitOptions.RemoveEmptyEntries)[1];
        return $"resident MiB: bench {MiB(ProcStatus.ResidentBytes(Environment.ProcessId)):0}, bridges {MiB(_bridges.Sum(b => ProcStatus.ResidentBytes(b.Pid))):0}, " +
            $"APIs {MiB(_apis.Sum(a => ProcStatus.ResidentBytes(a.Pid))):0}; machine available {long.Parse(available, System.Globalization.CultureInfo.InvariantCulture) / 1024} MiB";
    }

    private sealed record Saturation(double PerSecond, double CpuPerJob, double CoresBusy, string Breakdown);

    private static async Task<Saturation> SaturationAsync(CpuMeter meter, IReadOnlyList<CloudStackClient> apis, IReadOnlyList<string> vmIds, int jobs, int inFlight)
    {
        // warm-up: JIT, connection pools, each agent's first command
        await Task.WhenAll(apis.Select(api => RunAsync(api, vmIds[0])));
        using var gate = new SemaphoreSlim(inFlight);
        var before = meter.Read();
        var started = Stopwatch.GetTimestamp();
        await Task.WhenAll(Enumerable.Range(0, jobs).Select(async i =>
        {
            await gate.WaitAsync();
            try { await RunAsync(apis[i % apis.Count], vmIds[i % vmIds.Count]); }
            finally { gate.Release(); }
        }));
        var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
        var used = meter.Read() - before;
        return new Saturation(jobs / seconds, used.Total / jobs, used.Total / seconds, used.PerUnit(jobs));
    }

    private static async Task RunAsync(CloudStackClient api, string vmId)
    {
        var done = await api.RunJobAsync("runAgentRecipe", [new("virtualmachineid", vmId), new("name", AgentFleet.Recipe)],
            JobWaitOptions.Every(TimeSpan.FromMilliseconds(200), JobTimeout));
        if (done.Status != AsyncJobStatus.Succeeded) throw new InvalidOperationException($"a runAgentRecipe job failed: {done.Result}");
    }

    /// <summary>registerVirtualMachine for each VM behind <paramref name="routerId"/> (account admin), 16 at a time, the APIs taken in turn.</summary>
    internal static async Task RegisterAsync(IReadOnlyList<CloudStackClient> apis, string routerId, IReadOnlyList<string> vmIds)
    {
        using var gate = new SemaphoreSlim(16);
        await Task.WhenAll(vmIds.Select(async (id, i) =>
        {
            await gate.WaitAsync();
            try { await apis[i % apis.Count].CallAsync("registerVirtualMachine", ("id", id), ("routerid", routerId), ("account", "admin"), ("name", id)); }
            finally { gate.Release(); }
        }));
    }

    private static CloudStackClient Client(ServiceProcess api) =>
        new(new Uri($"http://127.0.0.1:{api.Name.Split('@')[1]}"), new ApiKeys(AdminApiKey, AdminSecretKey));

    /// <summary>The API process; on MariaDB with a connection string, else on its own SQLite file. Its log goes to a file, not through this busy process.</summary>
    private async Task<ServiceProcess> StartApiAsync(string name, string? connectionString)
    {
        var port = FreePort.Next();
        var environment = new Dictionary<string, string> { ["Producers__MasterKey"] = MasterKey };
        if (connectionString is not null) environment["Storage__ConnectionString"] = connectionString;
        var api = ServiceProcess.StartDotnet($"{name}@{port}", ServiceProcess.DllOf("Producers/Agents.Producers"),
        [
            $"--RabbitMq:Uri={node.AmqpUri("producers")}", $"--RabbitMq:ConnectionName=producers-{name}",
            $"--Producers:ListenUrl=http://127.0.0.1:{port}", $"--Producers:DatabasePath={Path.Combine(directory, name + ".db")}",
            $"--Producers:Bootstrap:AdminApiKey={AdminApiKey}", $"--Producers:Bootstrap:AdminSecretKey={AdminSecretKey}",
            // warnings only (Serilog reads its own section): a line per target would cost the API more than the target itself
            "--Serilog:MinimumLevel:Default=Warning",
            .. connectionString is null ? Array.Empty<string>() : ["--Storage:Provider=MySql"],
        ], new ServiceProcessOptions { Environment = environment, LogFile = Path.Combine(directory, name + ".log") });
        _apis.Add(api);
        await api.WaitForReadyAsync($"http://127.0.0.1:{port}", 120);
        return api;
    }

    private async Task StopApiAsync(ServiceProcess api)
    {
        await api.StopAsync();
        _apis.Remove(api);
        await api.DisposeAsync();
    }

    /// <summary>CPU seconds so far of each group of processes this section runs.</summary>
    private sealed class CpuMeter(ClusterScale owner, RabbitMqNode broker, MariaDbNode mariadb)
    {
        private readonly string _brokerMark = broker.DataDirectory;

        public CpuUse Read() => new(new Dictionary<string, double>
        {
            ["bench (agents, API clients)"] = ProcessCpu.Seconds(Environment.ProcessId),
            ["API"] = owner._apis.Sum(a => ProcessCpu.Seconds(a.Pid)),
            ["bridges"] = owner._bridges.Sum(b => ProcessCpu.Seconds(b.Pid)),
            ["MariaDB"] = ProcessCpu.SecondsOfMatching($"--port={mariadb.Port}"),
            ["RabbitMQ"] = ProcessCpu.SecondsOfMatching(_brokerMark),
        });
    }
}
