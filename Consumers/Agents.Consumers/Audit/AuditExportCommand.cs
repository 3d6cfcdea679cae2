using Agents.Storage;
using Agents.Storage.Audit;
using Microsoft.Extensions.Configuration;

namespace Agents.Consumers.Audit;

/// <summary>
/// <c>export-audit</c>: writes the audit log as JSON lines to stdout, filtered like listEvents
/// (<c>--Export:Type=… --Export:Level=… --Export:StartDate=… --Export:EndDate=… --Export:ResourceType=… --Export:ResourceId=… --Export:Keyword=…</c>).
/// </summary>
public static class AuditExportCommand
{
    public const string Name = "export-audit";

    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error)
    {
        var configuration = new ConfigurationBuilder()
            .SetBasePath(AppContext.BaseDirectory)
            .AddJsonFile("appsettings.json", optional: true)
            .AddEnvironmentVariables()
            .AddCommandLine(args)
            .Build();
        var path = configuration[$"{ConsumersOptions.Section}:{nameof(ConsumersOptions.AuditDatabasePath)}"] ?? new ConsumersOptions().AuditDatabasePath;
        var storage = configuration.GetSection(StorageOptions.Section).Get<StorageOptions>() ?? new StorageOptions();
        if (storage.Validate(new System.ComponentModel.DataAnnotations.ValidationContext(storage)).FirstOrDefault() is { } bad)
        {
            await error.WriteLineAsync($"export-audit: {bad.ErrorMessage}").ConfigureAwait(false);
            return 2;
        }
        if (storage.Provider == StorageProvider.Sqlite && !File.Exists(path))
        {
            await error.WriteLineAsync($"export-audit: Consumers:AuditDatabasePath '{path}' does not exist").ConfigureAwait(false);
            return 2;
        }
        AuditQuery query;
        try { query = configuration.GetSection("Export").Get<AuditQuery>() ?? new AuditQuery(); }
        catch (InvalidOperationException e)
        {
            await error.WriteLineAsync($"export-audit: bad Export filter: {e.GetBaseException().Message}").ConfigureAwait(false);
            return 2;
        }
        try
        {
            // read only: an export creates no table
            var count = await new AuditStore(storage.Open(path)).ExportJsonLinesAsync(query with { Page = 1, PageSize = AuditQuery.MaxPageSize }, output).ConfigureAwait(false);
            await error.WriteLineAsync($"export-audit: {count} events").ConfigureAwait(false);
            return 0;
        }
        catch (Exception e) when (e is ArgumentException or System.Data.Common.DbException)
        {
            await error.WriteLineAsync($"export-audit: {e.Message}").ConfigureAwait(false);
            return 2;
        }
    }
}
