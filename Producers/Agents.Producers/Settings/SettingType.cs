namespace Agents.Producers.Settings;

/// <summary>The type of a global setting's value, as listConfigurations shows it.</summary>
public enum SettingType
{
    Boolean,
    Integer,
    String,
}
