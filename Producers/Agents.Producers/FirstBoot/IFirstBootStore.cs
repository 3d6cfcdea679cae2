namespace Agents.Producers.FirstBoot;

public interface IFirstBootStore
{
    Task<FirstBootChoice?> FindAsync(string vmId, CancellationToken ct);

    Task<IReadOnlyList<FirstBootChoice>> ListAsync(IReadOnlyCollection<string>? vmIds, CancellationToken ct);

    /// <summary>Sets a Pending choice; false when the recipes were started already (nothing changed).</summary>
    Task<bool> SetAsync(string vmId, IReadOnlyList<string> recipes, DateTimeOffset at, CancellationToken ct);

    /// <summary>Pending → Started, once: the one caller that gets the choice runs it; everyone else gets null.</summary>
    Task<FirstBootChoice?> ClaimAsync(string vmId, DateTimeOffset at, CancellationToken ct);

    Task RecordJobAsync(string vmId, Guid jobId, CancellationToken ct);

    /// <summary>A claim whose job could not start goes back to Pending, for the next time the agent comes up.</summary>
    Task ReleaseAsync(string vmId, CancellationToken ct);
}
