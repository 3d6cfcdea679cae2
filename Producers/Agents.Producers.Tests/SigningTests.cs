using Agents.Producers.Api;
using Agents.Producers.Handlers.Recipes;
using Agents.Testing;
using Agents.Security.Signing;

namespace Agents.Producers.Tests;

public sealed class SigningTests
{
    private const string DocApiKey = "miVr6X7u6bN_sdahOBpjNejPgEsT35eXq-jB8CG20YI3yaxXcgpyuaIRmFI_EJTVwZ0nUkkJbPmY3y2bciKwFQ";
    private const string DocSecret = "AdpTvsQMZwv9MNvfqDcQhWSL9pHQvq7z13CFP2SU1iToDkkM3d8iZciWEKsGREhMtV9yLVMxmbbJJgrXo8O5jg";

    private static readonly KeyValuePair<string, string>[] DocRequest =
    [
        new("apiKey", DocApiKey), new("command", "deployVirtualMachine"), new("serviceOfferingId", "1"),
        new("diskOfferingId", "1"), new("templateId", "2"), new("zoneId", "4"),
    ];

    [Fact]
    public void cloudstacks_documented_example_signs_to_its_documented_signature()
    {
        Assert.Equal("Lxx1DM40AjcXU/caiK8RAP0O1hU=", CloudStackSignature.Sign(DocRequest, DocSecret));
    }

    [Fact]
    public void the_signature_parameter_itself_is_not_signed()
    {
        var withSignature = DocRequest.Append(new("signature", "anything")).ToArray();
        Assert.Equal(CloudStackSignature.Sign(DocRequest, DocSecret), CloudStackSignature.Sign(withSignature, DocSecret));
    }

    [Theory]
    [InlineData("a plain value")]
    [InlineData("slashes/and+plus=equals&amp")]
    [InlineData("ünïcødé ✓ and 'quotes' \"double\" (parens) !#$%")]
    [InlineData("ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIExample alice@example.org")]
    public async Task the_independent_python_signer_and_the_service_agree(string value)
    {
        string[] args = ["cloudstack_signer.py", DocSecret, $"apiKey={DocApiKey}", "command=registerSSHKeyPair", $"publicKey={value}", "name=Key-1"];
        var python = await ProcessRunner.RunAsync("python3", args);
        Assert.True(python.ExitCode == 0, python.Output);
        var expected = python.Stdout.Split('\t')[0];

        var ours = CloudStackSignature.Sign(
            [new("apiKey", DocApiKey), new("command", "registerSSHKeyPair"), new("publicKey", value), new("name", "Key-1")], DocSecret);

        Assert.Equal(expected, ours);
    }

    [Fact]
    public async Task the_independent_python_signer_reproduces_the_documented_example()
    {
        var python = await ProcessRunner.RunAsync("python3",
            ["cloudstack_signer.py", DocSecret, .. DocRequest.Select(p => $"{p.Key}={p.Value}")]);
        Assert.Equal("Lxx1DM40AjcXU/caiK8RAP0O1hU=", python.Stdout.Split('\t')[0]);
    }

    [Theory]
    [InlineData("2026-11-24T18:00:00+0000", 2026, 11, 24, 18)]
    [InlineData("2026-11-24T20:00:00+0200", 2026, 11, 24, 18)]
    [InlineData("2026-11-24T18:00:00Z", 2026, 11, 24, 18)]
    public void cloudstacks_expires_format_is_read(string value, int year, int month, int day, int hour)
    {
        Assert.Equal(new DateTimeOffset(year, month, day, hour, 0, 0, TimeSpan.Zero), ApiCall.ParseDate(value));
    }

    [Theory]
    [InlineData("5", 50, 5)]
    [InlineData("10%", 50, 5)]
    [InlineData("20%", 50, 10)]
    [InlineData("0", 7, 0)]
    [InlineData("15%", 3, 0)]
    public void maxerrors_is_a_count_or_a_percentage_of_the_targets(string value, int targets, int expected)
    {
        Assert.Equal(expected, FanOut.MaxErrorsOf(value, targets));
    }

    [Theory]
    [InlineData("many")]
    [InlineData("-1")]
    [InlineData("120%")]
    public void a_bad_maxerrors_is_a_parameter_error(string value)
    {
        var error = Assert.Throws<ApiException>(() => FanOut.MaxErrorsOf(value, 10));
        Assert.Equal(431, error.ErrorCode);
    }
}
