using MySqlConnector;

namespace Agents.Testing;

/// <summary>
/// A private MariaDB server from the Debian package (mariadb-server): its own data folder made by
/// mariadb-install-db, its own port on 127.0.0.1, socket and pid file in a temp folder, stopped and
/// deleted after. Tests connect over TCP as <see cref="User"/>, like a service would. Given a
/// <c>directory</c> (./run up --cluster: under the stack's run folder), it lives there and is kept.
/// </summary>
public sealed class MariaDbNode(string? directory = null) : IAsyncDisposable
{
    public const string Server = "/usr/sbin/mariadbd";
    public const string InstallDb = "/usr/bin/mariadb-install-db";
    public const string User = "agents";
    public const string Password = "agents-test-password";

    // under the run's temp prefix, so ./run reaps a node a crashed test run left behind
    private readonly string _dir = directory ?? Path.Combine(Path.GetTempPath(), RabbitMqNode.TempPrefix + "mariadb-" + Guid.NewGuid().ToString("N")[..10]);
    private ServiceProcess? _process;
    private bool _stopped;

    public int Port { get; } = FreePort.Next();

    public static TimeSpan StartTimeout { get; } = TimeSpan.FromSeconds(60);

    private string DataDirectory => Path.Combine(_dir, "data");
    private string Socket => Path.Combine(_dir, "mariadb.sock");

    /// <summary>The server's own log (mariadbd --log-error).</summary>
    public string ErrorLog => Path.Combine(_dir, "mariadb.err");

    /// <summary>The server's process id while it runs.</summary>
    public int? Pid => _process is { HasExited: false } running ? running.Pid : null;

    /// <summary>A connection string for <paramref name="database"/> (none: the server only).</summary>
    public string ConnectionString(string? database = null) => new MySqlConnectionStringBuilder
    {
        Server = "127.0.0.1",
        Port = (uint)Port,
        UserID = User,
        Password = Password,
        Database = database ?? "",
        Pooling = true,
    }.ConnectionString;

    public async Task StartAsync()
    {
        if (!File.Exists(Server) || !File.Exists(InstallDb))
            throw new InvalidOperationException($"MariaDB is not installed ({Server} missing): run `apt-get install mariadb-server` or ./run test, which installs it.");
        Directory.CreateDirectory(_dir);
        // mariadbd refuses to run as root unless told to (RootUser)
        var install = await ProcessRunner.RunAsync(InstallDb,
            ["--no-defaults", $"--datadir={DataDirectory}", "--auth-root-authentication-method=normal", "--skip-test-db", .. RootUser],
            timeout: StartTimeout);
        if (install.ExitCode != 0)
            throw new InvalidOperationException($"mariadb-install-db failed ({install.ExitCode}):\n{Tail(install.Output)}");

        Launch();
        // root (no password, socket only) makes the user the tests sign in as over TCP
        await WaitForServerAsync($"CREATE USER '{User}'@'%' IDENTIFIED BY '{Password}'; GRANT ALL PRIVILEGES ON *.* TO '{User}'@'%';");
    }

    /// <summary>Stops the server cleanly (SIGTERM) and keeps its data: clients get connection errors until <see cref="StartAgainAsync"/>.</summary>
    public async Task StopServerAsync()
    {
        if (_process is null) return;
        await _process.StopAsync(graceSeconds: 30);
        await _process.DisposeAsync();
        _process = null;
    }

    /// <summary>The server stopped by <see cref="StopServerAsync"/> started again on the same port and data.</summary>
    public async Task StartAgainAsync()
    {
        if (_process is not null) throw new InvalidOperationException("MariaDB is running: stop it first");
        Launch();
        await WaitForServerAsync("SELECT 1");
    }

    private string[] RootUser => Environment.UserName == "root" ? ["--user=root"] : [];

    private void Launch() =>
        // in a session of its own (setsid), as RabbitMqNode starts its node
        _process = ServiceProcess.Start("mariadbd", "/usr/bin/setsid",
        [
            Server, "--no-defaults", $"--datadir={DataDirectory}", $"--socket={Socket}", $"--pid-file={Path.Combine(_dir, "mariadb.pid")}",
            $"--port={Port}", "--bind-address=127.0.0.1", $"--log-error={ErrorLog}", "--skip-name-resolve",
            "--innodb-buffer-pool-size=64M", "--max-connections=500", .. RootUser,
        ]);

    /// <summary>Runs <paramref name="sql"/> as root over the socket once the server takes connections.</summary>
    private async Task WaitForServerAsync(string sql)
    {
        var admin = new MySqlConnectionStringBuilder { Server = Socket, ConnectionProtocol = MySqlConnectionProtocol.UnixSocket, UserID = "root", Pooling = false }.ConnectionString;
        var deadline = DateTime.UtcNow + StartTimeout;
        while (true)
        {
            try
            {
                await using var connection = new MySqlConnection(admin);
                await connection.OpenAsync();
                await using var command = connection.CreateCommand();
                command.CommandText = sql;
                await command.ExecuteNonQueryAsync();
                return;
            }
            catch (MySqlException) when (DateTime.UtcNow < deadline && _process is { HasExited: false })
            {
                await Task.Delay(200);
            }
            catch (MySqlException e)
            {
                var (console, log) = (_process?.Tail() ?? "", LogTail());
                await StopAsync();
                throw new InvalidOperationException($"MariaDB on port {Port} did not start ({e.Message}).\n--- console ---\n{console}\n--- {ErrorLog} ---\n{log}");
            }
        }
    }

    /// <summary>A new, empty database (utf8mb4, compared byte for byte like SQLite); returns its connection string.</summary>
    public async Task<string> CreateDatabaseAsync(string name)
    {
        await using var connection = new MySqlConnection(ConnectionString());
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = $"CREATE DATABASE `{name}` CHARACTER SET utf8mb4 COLLATE utf8mb4_bin";
        await command.ExecuteNonQueryAsync();
        return ConnectionString(name);
    }

    public async Task StopAsync()
    {
        if (_stopped) return;
        _stopped = true;
        MySqlConnection.ClearAllPools();
        if (_process is not null)
        {
            // SIGTERM is mariadbd's clean shutdown; SIGKILL after 30 s
            await _process.StopAsync(graceSeconds: 30);
            await _process.DisposeAsync();
        }
        if (directory is not null) return;
        try { Directory.Delete(_dir, recursive: true); }
        catch (IOException) { /* a file still held open: the temp folder is harmless */ }
    }

    public ValueTask DisposeAsync() => new(StopAsync());

    public string LogTail() => File.Exists(ErrorLog) ? Tail(File.ReadAllText(ErrorLog)) : "(no error log)";

    private static string Tail(string text, int lines = 40) => string.Join('\n', text.Split('\n').TakeLast(lines));
}
