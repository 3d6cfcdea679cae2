namespace Agents.Storage;

/// <summary>The database engine behind every store of a service (<c>Storage:Provider</c>).</summary>
public enum StorageProvider
{
    /// <summary>One file per store, embedded: the default for one node and the demo.</summary>
    Sqlite,

    /// <summary>MariaDB or MySQL, one database shared by every instance of every service (CloudStack's engine).</summary>
    MySql,
}
