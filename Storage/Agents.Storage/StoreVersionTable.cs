using FluentMigrator.Runner.VersionTableInfo;

namespace Agents.Storage;

/// <summary>FluentMigrator's record of applied migrations, one table per store (see <see cref="StoreSchema.VersionTable"/>).</summary>
internal sealed class StoreVersionTable(StoreSchema schema) : IVersionTableMetaData
{
    public bool OwnsSchema => false;
    public string SchemaName => "";
    public string TableName => schema.VersionTable;
    public string ColumnName => "version";
    public string DescriptionColumnName => "description";
    public string UniqueIndexName => schema.VersionTable + "_version";
    public string AppliedOnColumnName => "applied_on";
    public bool CreateWithPrimaryKey => true;
}
