using Agents.WebConsole.Formatting;

namespace Agents.WebConsole.Tests;

public sealed class PageWindowTests
{
    [Fact]
    public void a_page_knows_its_rows_and_neighbours()
    {
        var window = PageWindow.Of(2, 20, 57);
        Assert.Equal(3, window.Pages);
        Assert.Equal("21–40 of 57", window.Summary);
        Assert.True(window.HasPrevious);
        Assert.True(window.HasNext);
    }

    [Fact]
    public void a_page_beyond_the_last_shows_the_last_and_before_the_first_the_first()
    {
        Assert.Equal(3, PageWindow.Of(9, 20, 57).Page);
        Assert.Equal(1, PageWindow.Of(-4, 20, 57).Page);
        Assert.Equal(1, PageWindow.Of(null, 20, 57).Page);
    }

    [Fact]
    public void an_empty_list_has_one_empty_page()
    {
        var window = PageWindow.Of(3, 20, 0);
        Assert.Equal((1, 1, "none"), (window.Page, window.Pages, window.Summary));
        Assert.False(window.HasNext);
    }

    [Fact]
    public void slice_takes_the_rows_of_the_page() =>
        Assert.Equal([6, 7, 8, 9, 10], PageWindow.Of(2, 5, 12).Slice(Enumerable.Range(1, 12).ToList()));

    [Fact]
    public void a_page_of_no_rows_is_refused() => Assert.Throws<ArgumentOutOfRangeException>(() => PageWindow.Of(1, 0, 10));
}
