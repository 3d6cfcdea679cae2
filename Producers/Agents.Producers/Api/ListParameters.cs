namespace Agents.Producers.Api;

/// <summary>The parameters every list command takes, as CloudStack's BaseListCmd and BaseListAccountResourcesCmd declare them.</summary>
public static class ListParameters
{
    public static readonly ApiParameter Keyword = new("keyword", ApiParameterType.String, "List by keyword");
    public static readonly ApiParameter Page = new("page", ApiParameterType.Integer, "");
    public static readonly ApiParameter PageSize = new("pagesize", ApiParameterType.Integer, "");
    public static readonly ApiParameter ListAll = new("listall", ApiParameterType.Boolean,
        "If set to false, list only resources belonging to the command's caller; if set to true - list resources that the caller is authorized to see. Default value is false");

    /// <summary>keyword, page, pagesize.</summary>
    public static IReadOnlyList<ApiParameter> Paging { get; } = [Keyword, Page, PageSize];

    /// <summary>Paging and listall: for lists of resources owned by accounts.</summary>
    public static IReadOnlyList<ApiParameter> AccountResources { get; } = [ListAll, Keyword, Page, PageSize];
}
