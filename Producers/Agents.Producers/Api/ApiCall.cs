using System.Globalization;
using System.Text.RegularExpressions;
using Agents.Producers.Accounts;

namespace Agents.Producers.Api;

/// <summary>
/// One authenticated call: who made it and its parameters (names case-insensitive, as in
/// CloudStack). A handler reads only parameters its <see cref="ApiDefinition"/> declares: any
/// other read throws <see cref="UndeclaredParameterException"/>, so listApis cannot miss a
/// parameter a handler uses. <see cref="Validate"/> checks every declared parameter (required,
/// length, type, paging rules) before the handler runs.
/// </summary>
public sealed partial class ApiCall(Caller caller, ApiDefinition definition, IReadOnlyDictionary<string, string> parameters)
{
    public Caller Caller => caller;
    public ApiDefinition Definition => definition;
    public string Command => definition.Name;

    /// <summary>Refuses the call as CloudStack's ParamProcessWorker and BaseListCmd would, before the handler sees it.</summary>
    public void Validate()
    {
        foreach (var p in definition.Parameters)
        {
            var value = Present(p);
            if (value is null)
            {
                if (p.Required) throw ApiException.Missing(Command, p.Name);
                continue;
            }
            if (p.Type is ApiParameterType.String or ApiParameterType.List && value.Length > p.Length)
                throw ApiException.Parameter($"Value greater than max allowed length {p.Length} for param: {p.Name}");
            switch (p.Type)
            {
                case ApiParameterType.Uuid: Id(p.Name, value); break;
                case ApiParameterType.List when p.Entity is not null: foreach (var id in Split(value)) Id(p.Name, id); break;
                case ApiParameterType.Integer when !int.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _):
                case ApiParameterType.Long when !long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _):
                case ApiParameterType.Boolean when !bool.TryParse(value, out _):
                    throw Invalid(p, value);
                case ApiParameterType.Date when ParseDate(value) is null:
                    throw new ApiException(ApiErrorCode.MalformedParameter,
                        $"Unable to parse date {Truncate(value)} for command {Command.ToLowerInvariant()}, please pass dates in the format mentioned in the api documentation");
                case ApiParameterType.Map: Map(p); break;
            }
        }
        if (definition.IsList) _ = Page();
    }

    public string? Optional(ApiParameter parameter) => Present(Declared(parameter));

    public string Required(ApiParameter parameter) => Optional(parameter) ?? throw ApiException.Missing(Command, parameter.Name);

    /// <summary>An id (uuid-like): letters, digits, '-', '_' (no '.': ids become routing-key words).</summary>
    public string RequiredId(ApiParameter parameter) => Id(parameter.Name, Required(parameter));

    public string? OptionalId(ApiParameter parameter) => Optional(parameter) is { } v ? Id(parameter.Name, v) : null;

    public IReadOnlyList<string> IdList(ApiParameter parameter) =>
        Optional(parameter) is { } v ? Split(v).Select(id => Id(parameter.Name, id)).ToList() : [];

    public IReadOnlyList<string> List(ApiParameter parameter) => Optional(parameter) is { } v ? Split(v) : [];

    public int? OptionalInt(ApiParameter parameter, int min, int max)
    {
        if (Optional(parameter) is not { } v) return null;
        if (!int.TryParse(v, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n) || n < min || n > max)
            throw ApiException.Parameter($"{parameter.Name} must be an integer between {min} and {max}");
        return n;
    }

    public bool OptionalBool(ApiParameter parameter, bool fallback = false)
    {
        if (Optional(parameter) is not { } v) return fallback;
        return bool.TryParse(v, out var b) ? b : throw Invalid(parameter, v);
    }

    public DateTimeOffset? OptionalDate(ApiParameter parameter) =>
        Optional(parameter) is { } v ? ParseDate(v) ?? throw new ApiException(ApiErrorCode.MalformedParameter, $"Unable to parse date {Truncate(v)}") : null;

    /// <summary>CloudStack's map parameters: <c>name[0].key=k&amp;name[0].value=v</c>.</summary>
    public IReadOnlyDictionary<string, string> Map(ApiParameter parameter)
    {
        var name = Declared(parameter).Name;
        var entries = new SortedDictionary<int, (string? Key, string? Value)>();
        foreach (var (key, value) in parameters)
        {
            var m = MapEntry().Match(key);
            if (!m.Success || !m.Groups[1].Value.Equals(name, StringComparison.OrdinalIgnoreCase)) continue;
            var index = int.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture);
            var entry = entries.GetValueOrDefault(index);
            entries[index] = m.Groups[3].Value.Equals("key", StringComparison.OrdinalIgnoreCase) ? (value, entry.Value) : (entry.Key, value);
        }
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (index, (key, value)) in entries)
        {
            if (string.IsNullOrEmpty(key) || value is null) throw ApiException.Parameter($"{name}[{index}] needs both key and value");
            map[key] = value;
        }
        return map;
    }

    /// <summary>A Linux user name (what the agent accepts), or <paramref name="fallback"/>.</summary>
    public string Username(ApiParameter parameter, string fallback)
    {
        var name = Optional(parameter) ?? fallback;
        return UserName().IsMatch(name) ? name : throw ApiException.Parameter($"username '{Truncate(name)}' is not a valid user name");
    }

    /// <summary>The account a call acts for: an admin may name one, a user always acts for itself.</summary>
    public string TargetAccount(ApiParameter parameter)
    {
        // account names follow the id rule: no quotes, spaces or separators reach the store
        var named = Optional(parameter) is { } v ? Id(parameter.Name, v) : null;
        if (named is null) return caller.Account;
        if (!caller.Owns(named)) throw ApiException.Denied($"Account {caller.Account} cannot act for account {named}");
        return named;
    }

    /// <summary>The account whose resources a list shows: a user's own; an admin's all (or the one named).</summary>
    public string? ListedAccount(ApiParameter parameter)
    {
        var named = Optional(parameter) is { } v ? Id(parameter.Name, v) : null;
        if (caller.IsAdmin) return named;
        if (named is not null && named != caller.Account) throw ApiException.Denied($"Account {caller.Account} cannot list the resources of account {named}");
        return caller.Account;
    }

    /// <summary>The page asked for, by BaseListCmd's rules (see <see cref="ApiPage"/>).</summary>
    public ApiPage Page()
    {
        var keyword = Optional(ListParameters.Keyword);
        var page = Optional(ListParameters.Page);
        var size = Optional(ListParameters.PageSize);
        if (size is null && page is null) return new ApiPage(1, ApiPage.DefaultPageSize, keyword);
        if (size is null) throw new ApiException(ApiErrorCode.ParameterError, "\"pagesize\" parameter is required when \"page\" is specified");
        var pageSize = int.TryParse(size, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var s) ? s : throw Invalid(ListParameters.PageSize, size);
        if (pageSize == -1)
        {
            if (page is not null) throw ApiException.Parameter("Can't specify page parameter when pagesize is -1 (Unlimited)");
            return new ApiPage(1, null, keyword);
        }
        if (page is null) throw new ApiException(ApiErrorCode.ParameterError, "\"page\" parameter is required when \"pagesize\" is specified");
        if (pageSize < 1) throw ApiException.Parameter("Page size must be a positive number, or -1 for every row");
        if (pageSize > ApiPage.DefaultPageSize) throw ApiException.Parameter($"Page size can't exceed max allowed page size value: {ApiPage.DefaultPageSize}");
        var number = int.TryParse(page, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n) ? n : throw Invalid(ListParameters.Page, page);
        return new ApiPage(Math.Max(1, number), pageSize, keyword);
    }

    /// <summary>CloudStack's yyyy-MM-dd, yyyy-MM-dd HH:mm:ss and yyyy-MM-dd'T'HH:mm:ssZ (e.g. +0000), all UTC unless an offset is given.</summary>
    public static DateTimeOffset? ParseDate(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var v = value.Trim();
        if (v.Length > 5 && (v[^5] == '+' || v[^5] == '-') && v[^4..].All(char.IsAsciiDigit)) v = v[..^2] + ":" + v[^2..];
        return DateTimeOffset.TryParse(v, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at) ? at : null;
    }

    private ApiParameter Declared(ApiParameter parameter)
    {
        ArgumentNullException.ThrowIfNull(parameter);
        return definition.Declares(parameter) ? parameter : throw new UndeclaredParameterException(Command, parameter.Name);
    }

    private string? Present(ApiParameter parameter)
    {
        if (parameter.Type == ApiParameterType.Map)
            return parameters.Keys.Any(k => k.StartsWith(parameter.Name + "[", StringComparison.OrdinalIgnoreCase)) ? parameter.Name : null;
        return parameters.TryGetValue(parameter.Name, out var value) && !string.IsNullOrEmpty(value) ? value : null;
    }

    private ApiException Invalid(ApiParameter parameter, string value) =>
        ApiException.Parameter($"Unable to execute API command {Command.ToLowerInvariant()} due to invalid value {Truncate(value)} for parameter {parameter.Name}");

    private static List<string> Split(string value) => value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList();

    private static string Id(string name, string value) =>
        value.Length is > 0 and <= 64 && value.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_')
            ? value : throw new ApiException(ApiErrorCode.MalformedParameter, $"{name} '{Truncate(value)}' is not a valid id");

    private static string Truncate(string value) => value.Length <= 64 ? value : value[..64] + "…";

    [GeneratedRegex("^[a-z_][a-z0-9_-]{0,31}$")]
    private static partial Regex UserName();

    [GeneratedRegex(@"^([A-Za-z]+)\[(\d{1,4})\]\.(key|value)$", RegexOptions.IgnoreCase)]
    private static partial Regex MapEntry();
}
