using System.Reflection;
using System.Text.RegularExpressions;
using Agents.Consumers.Plugins;
using MassTransit;

namespace Agents.Consumers.Plugins;

/// <summary>
/// The plugins named in <c>Consumers:Plugins</c> (paths of assemblies): every public class in them
/// marked <see cref="EventPluginAttribute"/> that consumes <see cref="CloudStackEventMessage"/>.
/// A path that does not load, a plugin without bindings or with a bad name stops the service at
/// start (exit 2) with a line naming it, rather than running without it.
/// </summary>
public static partial class EventPlugins
{
    /// <summary>One plugin: its consumer type, queue and bindings.</summary>
    public sealed record Plugin(Type Consumer, string Name, IReadOnlyList<string> Bindings)
    {
        public string Queue => $"consumers.plugin.{Name}";
    }

    public static IReadOnlyList<Plugin> Load(IEnumerable<string> paths)
    {
        var plugins = new List<Plugin>();
        foreach (var path in paths)
        {
            Assembly assembly;
            try
            {
                assembly = Assembly.LoadFrom(Path.GetFullPath(path));
            }
            catch (Exception e) when (e is IOException or BadImageFormatException or ArgumentException)
            {
                throw new PluginException($"Consumers:Plugins '{path}' did not load: {e.Message}", e);
            }
            var found = assembly.GetExportedTypes()
                .Where(t => t is { IsClass: true, IsAbstract: false } && t.GetCustomAttribute<EventPluginAttribute>() is not null).ToList();
            if (found.Count == 0) throw new PluginException($"Consumers:Plugins '{path}' holds no public class marked [EventPlugin]");
            foreach (var type in found)
            {
                var attribute = type.GetCustomAttribute<EventPluginAttribute>()!;
                if (!typeof(IConsumer<CloudStackEventMessage>).IsAssignableFrom(type))
                    throw new PluginException($"plugin {type.FullName} does not implement IConsumer<CloudStackEventMessage>");
                if (!NamePattern().IsMatch(attribute.Name))
                    throw new PluginException($"plugin {type.FullName}: name '{attribute.Name}' must be 1-64 lower-case letters, digits or '-'");
                if (attribute.Bindings.Count == 0 || attribute.Bindings.Any(b => !RoutingPattern.IsValid(b)))
                    throw new PluginException($"plugin {type.FullName}: its bindings must be routing-key patterns of cloudstack-events, and at least one");
                if (plugins.Any(p => p.Name == attribute.Name))
                    throw new PluginException($"two plugins are named '{attribute.Name}'");
                plugins.Add(new Plugin(type, attribute.Name, attribute.Bindings));
            }
        }
        return plugins;
    }

    [GeneratedRegex("^[a-z0-9-]{1,64}$")]
    private static partial Regex NamePattern();
}

/// <summary>A plugin named in Consumers:Plugins that cannot run: the service does not start.</summary>
public sealed class PluginException : Exception
{
    public PluginException() { }

    public PluginException(string message) : base(message) { }

    public PluginException(string message, Exception innerException) : base(message, innerException) { }
}
