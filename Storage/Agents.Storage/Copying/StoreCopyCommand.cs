using System.CommandLine;
using System.Data.Common;
using System.Diagnostics;
using System.Globalization;
using MySqlConnector;

namespace Agents.Storage.Copying;

/// <summary>
/// <c>migrate-store</c>, a subcommand of each service that keeps stores: copies a store of a SQLite
/// install onto MariaDB/MySQL (<see cref="StoreCopier"/>) and prints the rows copied per table.
/// <c>--to</c> may be left out when <c>Storage__ConnectionString</c> is set (the password then shows in
/// no process list); the password is never printed.
/// </summary>
public static class StoreCopyCommand
{
    public const string Name = "migrate-store";
    public const int BadUsage = 2;
    public const int Failed = 1;

    /// <param name="program">The service's name, for messages (agents-api).</param>
    /// <param name="stores">The stores the service keeps, by name; the first is the default of <c>--store</c>.</param>
    public static async Task<int> RunAsync(string program, IReadOnlyList<StoreSchema> stores, string[] args, TextWriter output, TextWriter error, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(stores);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        var from = new Option<string>("--from") { Description = "the store's SQLite file: sqlite:<path> (or the path)", Required = true };
        var to = new Option<string?>("--to") { Description = "the MariaDB/MySQL database: a connection string (Server=…;Port=…;Database=…;User ID=…;Password=…), mysql: in front allowed; default: the Storage__ConnectionString environment variable" };
        var store = new Option<string>("--store") { Description = $"which store the file holds: {string.Join(", ", stores.Select(s => s.Name))}", DefaultValueFactory = _ => stores[0].Name };
        store.AcceptOnlyFromAmong([.. stores.Select(s => s.Name)]);
        var force = new Option<bool>("--force") { Description = "replace the rows the target already has (without it a non-empty target is refused)" };
        var batch = new Option<int>("--batch-size") { Description = "rows per INSERT", DefaultValueFactory = _ => StoreCopyOptions.DefaultBatchSize };
        var command = new RootCommand($"{program} {Name}: copies a store of a SQLite install onto MariaDB/MySQL (schema from this release's migrations, then every table, one transaction per table)")
        {
            from, to, store, force, batch,
        };
        var result = command.Parse(args);
        if (result.Errors.Count > 0)
        {
            await error.WriteLineAsync($"{program} {Name}: {result.Errors[0].Message} (--help shows the usage)").ConfigureAwait(false);
            return BadUsage;
        }
        if (!ReferenceEquals(result.Action, command.Action))
            return await result.InvokeAsync(new InvocationConfiguration { Output = output, Error = error }, ct).ConfigureAwait(false);

        var sourcePath = Strip(result.GetValue(from)!, "sqlite:");
        var connectionString = result.GetValue(to) is { Length: > 0 } given ? Strip(given, "mysql:") : Environment.GetEnvironmentVariable("Storage__ConnectionString");
        var size = result.GetValue(batch);
        if (size is < 1 or > 5000)
        {
            await error.WriteLineAsync($"{program} {Name}: --batch-size must be 1..5000").ConfigureAwait(false);
            return BadUsage;
        }
        var target = new StorageOptions { Provider = StorageProvider.MySql, ConnectionString = connectionString };
        if (target.Validate(new System.ComponentModel.DataAnnotations.ValidationContext(target)).FirstOrDefault() is { } bad)
        {
            await error.WriteLineAsync($"{program} {Name}: --to: {bad.ErrorMessage?.Replace("Storage:ConnectionString", "the connection string", StringComparison.Ordinal)}").ConfigureAwait(false);
            return BadUsage;
        }
        var schema = stores.Single(s => s.Name == result.GetValue(store));
        var source = Database.Sqlite(Path.GetFullPath(sourcePath));
        var database = Database.MySql(connectionString!);
        var clock = Stopwatch.StartNew();
        try
        {
            await output.WriteLineAsync($"copying the {schema.Name} store from {source.Name} to {database.Name}").ConfigureAwait(false);
            var copied = await StoreCopier.CopyAsync(source, database, schema, new StoreCopyOptions { BatchSize = size, Force = result.GetValue(force) },
                t => output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {t.Table}: {t.Rows} rows")), ct).ConfigureAwait(false);
            await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"copied {copied.Sum(t => t.Rows)} rows in {copied.Count} tables in {clock.Elapsed.TotalSeconds:0.0} s")).ConfigureAwait(false);
            return 0;
        }
        catch (StoreCopyException e)
        {
            await error.WriteLineAsync($"{program} {Name}: {e.Message}").ConfigureAwait(false);
            return Failed;
        }
        catch (DbException e)
        {
            // MySqlConnector's and SQLite's messages name the user and the table, never the password
            await error.WriteLineAsync($"{program} {Name}: {e.Message} (nothing of the table being copied was kept)").ConfigureAwait(false);
            return Failed;
        }
        finally
        {
            MySqlConnection.ClearAllPools();
        }
    }

    private static string Strip(string value, string prefix) =>
        value.StartsWith(prefix, StringComparison.OrdinalIgnoreCase) ? value[prefix.Length..] : value;
}
