namespace Agents.Producers.Inventory;

/// <summary>CloudStack's system VM types other than routers (listSystemVms' systemvmtype), and the account that owns them.</summary>
public static class SystemVmTypes
{
    public const string SecondaryStorageVm = "secondarystoragevm";
    public const string ConsoleProxy = "consoleproxy";
    /// <summary>CloudStack's own account (id 1), owner of every system VM.</summary>
    public const string SystemAccount = "system";

    public static IReadOnlyList<string> All { get; } = [SecondaryStorageVm, ConsoleProxy];

    /// <summary>The type as CloudStack spells it, whatever the case it was given in; null when it is not one.</summary>
    public static string? Parse(string value) => All.FirstOrDefault(t => string.Equals(t, value, StringComparison.OrdinalIgnoreCase));
}
