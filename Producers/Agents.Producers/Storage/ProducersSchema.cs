using Agents.Storage;

namespace Agents.Producers.Storage;

/// <summary>The API's tables: the migrations in <see cref="Migrations"/> (1: the previous release's tables, 2: users and configuration, 3: first-boot recipes, 4: sign-in sessions, 5: system VM types, 6: job ownership with a lease and the mshost heartbeat).</summary>
public static class ProducersSchema
{
    public static readonly StoreSchema Schema = new("producers", typeof(Migrations.CreateProducersTables));
}
