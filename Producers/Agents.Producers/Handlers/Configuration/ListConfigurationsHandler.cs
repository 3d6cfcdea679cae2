using System.Text.Json.Nodes;
using Agents.Producers.Api;

namespace Agents.Producers.Handlers.Configuration;

/// <summary>listConfigurations (admin): the framework's global settings, by category, name (a part of it, as CloudStack matches) or keyword.</summary>
public sealed class ListConfigurationsHandler(CurrentSettings settings) : IApiHandler
{
    private static readonly ApiParameter Category = new("category", ApiParameterType.String, "lists configurations by category");
    private static readonly ApiParameter Name = new("name", ApiParameterType.String, "lists configuration by name");
    private static readonly ApiParameter Group = new("group", ApiParameterType.String, "lists configuration by group name (primarily used for UI)") { Since = "4.18.0" };

    public ApiDefinition Definition { get; } = new("listConfigurations", "Lists all configurations.")
    {
        Access = ApiAccess.Admin,
        Parameters = [Category, Name, Group, .. ListParameters.Paging],
        ResponseObject = ConfigurationResponse.ObjectName,
        Response = ConfigurationResponse.Fields,
    };

    public async Task<JsonObject> HandleAsync(ApiCall call, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(call);
        var page = call.Page();
        var (category, name, group) = (call.Optional(Category), call.Optional(Name), call.Optional(Group));
        var rows = (await settings.AllAsync(ct).ConfigureAwait(false))
            .Where(r => (category is null || r.Setting.Category.Equals(category, StringComparison.OrdinalIgnoreCase))
                && (name is null || r.Setting.Name.Contains(name, StringComparison.OrdinalIgnoreCase))
                && (group is null || r.Setting.Group.Equals(group, StringComparison.OrdinalIgnoreCase))
                && page.Matches(r.Setting.Name, r.Setting.Description, r.Setting.Category, r.Setting.Component))
            .OrderBy(r => r.Setting.Name, StringComparer.Ordinal)
            .ToList();
        return ApiFormat.Page(ConfigurationResponse.ObjectName, rows, page, r => ConfigurationResponse.Render(r.Setting, r.Value));
    }
}
