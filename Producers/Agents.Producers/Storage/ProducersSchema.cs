using Agents.Storage;

namespace Agents.Producers.Storage;

/// <summary>The API's tables: the migrations in <see cref="Migrations"/>.</summary>
public static class ProducersSchema
{
    public static readonly StoreSchema Schema = new("producers", typeof(Migrations.CreateProducersTables));
}
