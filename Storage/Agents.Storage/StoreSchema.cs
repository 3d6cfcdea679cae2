namespace Agents.Storage;

/// <summary>
/// The tables of one store and the FluentMigrator migrations that make them: the
/// <c>[Migration]</c> classes in <see cref="Anchor"/>'s namespace. Its applied versions are kept in
/// its own table (<see cref="VersionTable"/>), so stores sharing one MariaDB database migrate apart.
/// </summary>
public sealed record StoreSchema(string Name, Type Anchor)
{
    public string VersionTable => "schema_" + Name;
}
