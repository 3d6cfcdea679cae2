namespace Agents.Producers;

/// <summary>The first admin's keys, so the first signed request can create everything else.</summary>
public sealed class BootstrapOptions
{
    public string AdminAccount { get; set; } = "admin";
    public string? AdminApiKey { get; set; }
    public string? AdminSecretKey { get; set; }
}
