using Agents.Security.Signing;

namespace Agents.Security.Tests;

public sealed class CloudStackSignatureTests
{
    private const string ApiKey = "miVr6X7u6bN_sdahOBpjNejPgEsT35eXq-jB8CG20YI3yaxXcgpyuaIRmFI_EJTVwZ0nUkkJbPmY3y2bciKwFQ";
    private const string SecretKey = "AdpTvsQMZwv9MNvfqDcQhWSL9pHQvq7z13CFP2SU1iToDkkM3d8iZciWEKsGREhMtV9yLVMxmbbJJgrXo8O5jg";

    private static KeyValuePair<string, string> P(string key, string value) => new(key, value);

    [Fact]
    public void the_signature_matches_the_example_in_cloudstacks_api_documentation()
    {
        // "command=deployVirtualMachine&serviceOfferingId=1&diskOfferingId=1&templateId=2&zoneId=4" with the apiKey
        KeyValuePair<string, string>[] parameters =
        [
            P("command", "deployVirtualMachine"), P("serviceOfferingId", "1"), P("diskOfferingId", "1"),
            P("templateId", "2"), P("zoneId", "4"), P("apiKey", ApiKey),
        ];

        Assert.Equal("Lxx1DM40AjcXU/caiK8RAP0O1hU=", CloudStackSignature.Sign(parameters, SecretKey));
    }

    [Fact]
    public void the_canonical_string_is_sorted_by_name_lower_cased_and_leaves_out_the_signature()
    {
        var canonical = CloudStackSignature.CanonicalString([P("zoneId", "4"), P("Command", "listZones"), P("signature", "x"), P("apiKey", "AbC")]);

        Assert.Equal("apikey=abc&command=listzones&zoneid=4", canonical);
    }

    [Theory]
    [InlineData("a b", "a%20b")]
    [InlineData("a+b", "a%2Bb")]
    [InlineData("x=y&z", "x%3Dy%26z")]
    [InlineData("ok.-*_", "ok.-*_")]
    [InlineData("é", "%C3%A9")]
    [InlineData("~!", "%7E%21")]
    public void values_are_encoded_as_javas_url_encoder_does_with_space_as_percent_20(string value, string encoded) =>
        Assert.Equal(encoded, CloudStackSignature.Encode(value));

    [Fact]
    public void a_signed_query_carries_the_parameters_in_order_and_the_encoded_signature()
    {
        var query = CloudStackSignature.SignedQuery([P("command", "listZones"), P("apiKey", ApiKey), P("name", "a b")], SecretKey);

        Assert.StartsWith($"command=listZones&apiKey={ApiKey}&name=a%20b&signature=", query, StringComparison.Ordinal);
        Assert.DoesNotContain("+", query, StringComparison.Ordinal);
    }
}
