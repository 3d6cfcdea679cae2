using System.Reflection;
using System.Text.Json.Nodes;
using Agents.Producers.Accounts;
using Agents.Producers.Api;
using Agents.Producers.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Agents.Producers.Tests;

/// <summary>The registry, the declarations and the parameter rules, without a broker: the real service collection, resolved.</summary>
public sealed class ApiRegistryTests
{
    private static ApiRegistry Registry()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Producers:MasterKey"] = "registry-test-master-key-0123456789",
            ["Producers:DatabasePath"] = Path.Combine(Path.GetTempPath(), "registry-tests-unused.db"),
        }).Build();
        var services = new ServiceCollection().AddLogging().AddAgentsProducers(configuration);
        return services.BuildServiceProvider().GetRequiredService<ApiRegistry>();
    }

    private static ApiDefinition Definition(params ApiParameter[] parameters) => new("listThings", "test") { Parameters = parameters };

    private static readonly ApiParameter Declared = new("declared", ApiParameterType.String, "a declared parameter");
    private static readonly ApiParameter Undeclared = new("undeclared", ApiParameterType.String, "not in the definition");

    [Fact]
    public void every_handler_declares_every_parameter_it_holds_and_each_name_once()
    {
        var registry = Registry();
        var handlers = registry.All.ToList();
        Assert.True(handlers.Count >= 30, $"{handlers.Count} handlers");
        var missing = new List<string>();
        foreach (var handler in handlers)
        {
            var fields = handler.GetType().GetFields(BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic)
                .Where(f => f.FieldType == typeof(ApiParameter)).Select(f => (ApiParameter)f.GetValue(null)!);
            missing.AddRange(fields.Where(p => !handler.Definition.Declares(p)).Select(p => $"{handler.Definition.Name}.{p.Name}"));
            Assert.Equal(handler.Definition.Parameters.Count, handler.Definition.Parameters.Select(p => p.Name.ToLowerInvariant()).Distinct().Count());
            Assert.False(string.IsNullOrWhiteSpace(handler.Definition.Description), handler.Definition.Name);
        }
        Assert.True(missing.Count == 0, "held but not declared: " + string.Join(", ", missing));
    }

    [Fact]
    public void every_list_handler_takes_page_pagesize_and_keyword()
    {
        var lists = Registry().All.Select(h => h.Definition).Where(d => d.Name.StartsWith("list", StringComparison.Ordinal) && d.Name != "listApis" && d.Name != "listCaCertificate").ToList();
        Assert.NotEmpty(lists);
        Assert.All(lists, d => Assert.True(d.IsList && d.Find("keyword") is not null && d.Find("pagesize") is not null, d.Name));
    }

    [Fact]
    public void a_handler_reading_a_parameter_it_did_not_declare_is_stopped()
    {
        var call = new ApiCall(new Caller("alice", Role.User), Definition(Declared), new Dictionary<string, string> { ["declared"] = "a", ["undeclared"] = "b" });

        Assert.Equal("a", call.Optional(Declared));
        var e = Assert.Throws<UndeclaredParameterException>(() => call.Optional(Undeclared));
        Assert.Equal("undeclared", e.Parameter);
    }

    [Theory]
    [InlineData(null, null, 1, 500)]
    [InlineData("2", "10", 2, 10)]
    [InlineData(null, "-1", 1, null)]
    public void paging_follows_cloudstacks_list_rules(string? page, string? pageSize, int expectedPage, int? expectedSize)
    {
        var values = new Dictionary<string, string>();
        if (page is not null) values["page"] = page;
        if (pageSize is not null) values["pagesize"] = pageSize;
        var result = new ApiCall(new Caller("a", Role.User), Definition([.. ListParameters.Paging]), values).Page();
        Assert.Equal(expectedPage, result.Page);
        Assert.Equal(expectedSize, result.PageSize);
    }

    [Theory]
    [InlineData(null, "10", "\"page\" parameter is required when \"pagesize\" is specified")]
    [InlineData("1", null, "\"pagesize\" parameter is required when \"page\" is specified")]
    [InlineData("1", "-1", "Can't specify page parameter when pagesize is -1 (Unlimited)")]
    [InlineData("1", "501", "Page size can't exceed max allowed page size value: 500")]
    public void paging_without_its_partner_or_out_of_range_is_a_431(string? page, string? pageSize, string text)
    {
        var values = new Dictionary<string, string>();
        if (page is not null) values["page"] = page;
        if (pageSize is not null) values["pagesize"] = pageSize;
        var e = Assert.Throws<ApiException>(() => new ApiCall(new Caller("a", Role.User), Definition([.. ListParameters.Paging]), values).Validate());
        Assert.Equal(431, e.ErrorCode);
        Assert.Equal(text, e.Message);
    }

    [Fact]
    public void a_missing_required_parameter_is_a_431_named_as_cloudstack_names_it()
    {
        var e = Assert.Throws<ApiException>(() => new ApiCall(new Caller("a", Role.User), Definition(Declared.AsRequired()), new Dictionary<string, string>()).Validate());
        Assert.Equal((431, 9999), (e.ErrorCode, e.CsErrorCode));
        Assert.Equal("Unable to execute API command listthings due to missing parameter declared", e.Message);
    }

    [Fact]
    public void xml_holds_the_same_content_as_json()
    {
        var body = new JsonObject
        {
            ["count"] = 2,
            ["virtualmachine"] = new JsonArray(new JsonObject { ["id"] = "a<b", ["ok"] = true }, new JsonObject { ["id"] = "c", ["nics"] = new JsonArray(new JsonObject { ["ip"] = "1" }) }),
        };

        Assert.Equal("{\"listvirtualmachinesresponse\":{\"count\":2,\"virtualmachine\":[{\"id\":\"a\\u003Cb\",\"ok\":true},{\"id\":\"c\",\"nics\":[{\"ip\":\"1\"}]}]}}",
            ApiResponseSerializer.Json("listvirtualmachinesresponse", body));
        Assert.Equal("<?xml version=\"1.0\" encoding=\"UTF-8\"?><listvirtualmachinesresponse cloud-stack-version=\"" + ApiResponseSerializer.CloudStackVersion + "\">"
            + "<count>2</count><virtualmachine><id>a&lt;b</id><ok>true</ok></virtualmachine><virtualmachine><id>c</id><nics><ip>1</ip></nics></virtualmachine>"
            + "</listvirtualmachinesresponse>", ApiResponseSerializer.Xml("listvirtualmachinesresponse", body));
    }

    [Fact]
    public void a_stored_password_hash_is_salted_slow_and_verifies_only_its_password()
    {
        var a = PasswordHasher.Hash("correct horse");
        var b = PasswordHasher.Hash("correct horse");

        Assert.NotEqual(a, b);
        Assert.StartsWith($"pbkdf2-sha256${PasswordHasher.Iterations}$", a, StringComparison.Ordinal);
        Assert.True(PasswordHasher.Verify("correct horse", a));
        Assert.False(PasswordHasher.Verify("correct horse!", a));
        Assert.False(PasswordHasher.Verify("correct horse", null));
        Assert.False(PasswordHasher.Verify("correct horse", "md5$x"));
    }
}
