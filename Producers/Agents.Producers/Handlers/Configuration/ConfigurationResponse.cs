using System.Text.Json.Nodes;
using Agents.Producers.Api;
using Agents.Producers.Settings;

namespace Agents.Producers.Handlers.Configuration;

/// <summary>A setting as CloudStack's ConfigurationResponse names its fields.</summary>
public static class ConfigurationResponse
{
    public const string ObjectName = "configuration";

    public static IReadOnlyList<ApiResponseField> Fields { get; } =
    [
        ApiResponseField.String("category", "The category of the configuration"), ApiResponseField.String("name", "The name of the configuration"),
        ApiResponseField.String("value", "The value of the configuration"), ApiResponseField.String("defaultvalue", "The default value of the configuration"),
        ApiResponseField.String("scope", "Scope (zone/cluster/pool/account) of the parameter that needs to be updated"),
        ApiResponseField.String("description", "The description of the configuration"), ApiResponseField.Boolean("isdynamic", "True if the configuration is dynamic"),
        ApiResponseField.String("component", "The component of the configuration"), ApiResponseField.String("group", "The group of the configuration"),
        ApiResponseField.String("type", "The type of the configuration value"),
    ];

    public static JsonObject Render(GlobalSetting setting, string value)
    {
        ArgumentNullException.ThrowIfNull(setting);
        return new JsonObject
        {
            ["category"] = setting.Category,
            ["name"] = setting.Name,
            ["value"] = value,
            ["defaultvalue"] = setting.DefaultValue,
            ["scope"] = "Global",
            ["description"] = setting.Description,
            ["isdynamic"] = true,
            ["component"] = setting.Component,
            ["group"] = setting.Group,
            ["type"] = setting.Type.ToString(),
        };
    }
}
