namespace Agents.Contracts.Events;

/// <summary>Resource types as they appear in event routing keys and bodies (CloudStack's short entity names).</summary>
public static class ResourceTypes
{
    public const string VirtualMachine = "VirtualMachine";
    public const string DomainRouter = "DomainRouter";
    /// <summary>A secondary storage or console proxy VM (CloudStack's ApiCommandResourceType.SystemVm).</summary>
    public const string SystemVm = "SystemVm";
    public const string Certificate = "Certificate";
    public const string Account = "Account";
    public const string Configuration = "Configuration";
    /// <summary>An API instance of a cluster (CloudStack's ApiCommandResourceType.ManagementServer).</summary>
    public const string ManagementServer = "ManagementServer";
}
