namespace Agents.Producers.Handlers.Accounts;

/// <summary>This system has CloudStack's ROOT domain only: every account is in it.</summary>
public static class RootDomain
{
    public const string Id = "5b1f5e9c-3f4a-4d2e-9c1a-0d0d0d0d0001";
    public const string Name = "ROOT";
    public const string Path = "/";
}
