namespace Agents.CaAuthority.Store;

/// <summary>A signed CRL (DER) and its number, as the inventory keeps the latest one.</summary>
public sealed record PublishedCrl(long Number, byte[] Der);
