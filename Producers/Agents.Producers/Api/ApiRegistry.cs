using Agents.Producers.Accounts;

namespace Agents.Producers.Api;

/// <summary>
/// Every registered <see cref="IApiHandler"/> by its command name (case-sensitive, as CloudStack's
/// ApiServer looks them up). The same registry dispatches requests and answers listApis, so a
/// handler cannot be callable without being listed, nor listed without being callable.
/// </summary>
public sealed class ApiRegistry
{
    private readonly Dictionary<string, IApiHandler> _byName;
    private readonly ILookup<string, string> _byResponseObject;

    public ApiRegistry(IEnumerable<IApiHandler> handlers)
    {
        ArgumentNullException.ThrowIfNull(handlers);
        _byName = new Dictionary<string, IApiHandler>(StringComparer.Ordinal);
        foreach (var handler in handlers)
        {
            var definition = handler.Definition;
            if (!_byName.TryAdd(definition.Name, handler))
                throw new InvalidOperationException($"two handlers are registered for {definition.Name}");
            var duplicate = definition.Parameters.GroupBy(p => p.Name, StringComparer.OrdinalIgnoreCase).FirstOrDefault(g => g.Count() > 1);
            if (duplicate is not null) throw new InvalidOperationException($"{definition.Name} declares the parameter {duplicate.Key} twice");
        }
        _byResponseObject = _byName.Values.Select(h => h.Definition)
            .Where(d => d.ResponseObject is not null)
            .OrderBy(d => d.Name, StringComparer.Ordinal)
            .ToLookup(d => d.ResponseObject!, d => d.Name, StringComparer.Ordinal);
    }

    public IEnumerable<IApiHandler> All => _byName.Values.OrderBy(h => h.Definition.Name, StringComparer.Ordinal);

    public IApiHandler? Find(string name) => _byName.GetValueOrDefault(name);

    /// <summary>May this caller call it? An admin every handler, a user all but the admin ones.</summary>
    public static bool Allows(Caller caller, ApiDefinition definition)
    {
        ArgumentNullException.ThrowIfNull(caller);
        ArgumentNullException.ThrowIfNull(definition);
        return definition.Access != ApiAccess.Admin || caller.IsAdmin;
    }

    /// <summary>CloudStack's related APIs of a command: the others answering the same response object.</summary>
    public IReadOnlyList<string> RelatedOf(ApiDefinition definition)
    {
        ArgumentNullException.ThrowIfNull(definition);
        return definition.ResponseObject is null ? [] : _byResponseObject[definition.ResponseObject].Where(n => n != definition.Name).ToList();
    }

    /// <summary>The APIs that list values for a parameter: every command answering its entity.</summary>
    public IReadOnlyList<string> RelatedOf(ApiParameter parameter)
    {
        ArgumentNullException.ThrowIfNull(parameter);
        return parameter.Entity is null ? [] : _byResponseObject[parameter.Entity].ToList();
    }
}
