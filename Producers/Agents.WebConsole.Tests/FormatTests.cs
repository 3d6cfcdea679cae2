using Agents.WebConsole.Formatting;

namespace Agents.WebConsole.Tests;

public sealed class FormatTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 4, 12, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData(10, "just now")]
    [InlineData(5 * 60, "5 min ago")]
    [InlineData(3 * 3600, "3 h ago")]
    [InlineData(5 * 86400, "5 days ago")]
    public void ages_read_as_words(int secondsAgo, string expected) =>
        Assert.Equal(expected, Format.Ago(Now.AddSeconds(-secondsAgo), Now));

    [Fact]
    public void no_time_is_a_dash() => Assert.Equal("—", Format.Ago(null, Now));

    [Fact]
    public void times_are_utc_and_unambiguous() =>
        Assert.Equal("2026-12-04 13:00:00 UTC", Format.When(new DateTimeOffset(2026, 12, 4, 14, 0, 0, TimeSpan.FromHours(1))));

    [Fact]
    public void a_certificate_inside_the_alert_window_is_a_warning_outside_it_fine_and_past_it_an_error()
    {
        var window = TimeSpan.FromDays(15);
        Assert.Equal(("in 10 days", Severity.Warning), Format.Expiry(Now.AddDays(10.5), Now, window));
        Assert.Equal(("in 40 days", Severity.Ok), Format.Expiry(Now.AddDays(40.2), Now, window));
        Assert.Equal(("expired 2 days ago", Severity.Error), Format.Expiry(Now.AddDays(-2.1), Now, window));
        Assert.Equal(("in 30 min", Severity.Warning), Format.Expiry(Now.AddMinutes(30), Now, window));
        Assert.Equal(("unknown", Severity.None), Format.Expiry(null, Now, window));
    }

    [Theory]
    [InlineData(0, "Running")]
    [InlineData(1, "Succeeded")]
    [InlineData(2, "Failed")]
    [InlineData(null, "Unknown")]
    public void job_statuses_are_cloudstacks_codes(int? status, string expected) => Assert.Equal(expected, Format.JobStatus(status));

    [Fact]
    public void long_texts_are_cut_with_an_ellipsis() =>
        Assert.Equal("abcd…", Format.Cut("abcdefgh", 5));
}
