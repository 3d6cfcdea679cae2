namespace Agents.CaAuthority.Store;

/// <summary>Valid certificates of the inventory counted by days to expiry.</summary>
public sealed record CertificateExpiryCounts(long Expired, long Within7Days, long Within30Days, long Within90Days, long Later)
{
    /// <summary>The counts under their bucket names (the metric's <c>days_to_expiry</c> label).</summary>
    public IEnumerable<(string Bucket, long Count)> Buckets =>
        [("expired", Expired), ("0-7", Within7Days), ("7-30", Within30Days), ("30-90", Within90Days), ("90+", Later)];
}
