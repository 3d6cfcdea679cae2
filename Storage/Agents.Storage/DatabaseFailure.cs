using System.Data.Common;

namespace Agents.Storage;

/// <summary>
/// Whether an exception says the database failed (is away, restarting, or broke the connection),
/// as opposed to a fault of the caller's own code. A provider reports most of these as a
/// <see cref="DbException"/>, but not all: MySqlConnector's <c>MySqlProtocolException</c> (an
/// <see cref="InvalidOperationException"/>, seen when the server stops mid-packet) and a closed
/// connection's state errors come from the provider's own code, so they count too.
/// </summary>
public static class DatabaseFailure
{
    private static readonly string[] ProviderNamespaces = ["MySqlConnector", "Microsoft.Data.Sqlite"];

    /// <summary>The exception in <paramref name="e"/>'s chain that says the database failed, or null when none does.</summary>
    public static Exception? In(Exception? e)
    {
        for (; e is not null; e = e.InnerException)
            if (e is DbException || FromProvider(e.GetType()) || FromProvider(e.TargetSite?.DeclaringType)) return e;
        return null;
    }

    private static bool FromProvider(Type? type) =>
        type?.Namespace is { } ns && ProviderNamespaces.Any(p => ns == p || ns.StartsWith(p + ".", StringComparison.Ordinal));
}
