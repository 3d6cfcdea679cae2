using Agents.Contracts.Ca;
using Agents.Contracts.Commands;

namespace Agents.Contracts.Tests;

/// <summary>A plain AMQP client may leave out any field that has a documented default: it reads as that default, not as zero or null.</summary>
public sealed class defaults_tests
{
    [Fact]
    public void a_command_without_its_optional_fields_gets_the_documented_defaults()
    {
        var command = AgentJson.Deserialize<AgentCommand>("""
            {"messageId":"0c1d2e3f-4a5b-4c6d-8e7f-8091a2b3c4d5","commandId":"1f2e3d4c-5b6a-4978-8695-a4b3c2d1e0f9","jobId":"9a0b1c2d-3e4f-4a5b-8c6d-7e8f9a0b1c2d",
             "type":"RunRecipe","routerId":"r","createdAt":"2026-11-24T10:00:00+00:00","payload":{"name":"x"}}
            """);
        Assert.Equal((1, 1, 60, 300), (command.SchemaVersion, command.Attempt, command.DeliveryTimeoutSeconds, command.ExecutionTimeoutSeconds));
        var recipe = command.PayloadAs<RunRecipe>();
        Assert.Empty(recipe.Parameters);
        Assert.Equal(RunRecipe.DefaultTimeoutSeconds, recipe.TimeoutSeconds);
    }

    [Fact]
    public void a_ca_request_or_sealed_secret_without_its_optional_fields_gets_the_documented_defaults()
    {
        var issue = AgentJson.Deserialize<IssueCertificate>("{}");
        Assert.Equal(((IReadOnlyList<string>)[], (IReadOnlyList<string>)[]), (issue.DomainNames, issue.IpAddresses));
        Assert.Equal(3600, AgentJson.Deserialize<CreateEnrollmentToken>("""{"holder":"urn:cloudstack:vm:x"}""").TtlSeconds);
        var sealedSecret = AgentJson.Deserialize<SealedSecret>("""{"recipientSerial":"0A","ephemeralPublicKey":"AA==","nonce":"AA==","ciphertext":"AA==","tag":"AA=="}""");
        Assert.Equal(SealedSecret.CurrentAlgorithm, sealedSecret.Algorithm);
    }

    [Fact]
    public void a_required_field_left_out_is_an_invalid_message_naming_it()
    {
        var error = Assert.Throws<InvalidMessageException>(() => AgentJson.Deserialize<RunRecipe>("""{"timeoutSeconds":5}"""));
        Assert.Contains("name", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void invalid_utf8_inside_a_string_is_an_invalid_message()
    {
        byte[] body = [.. "{\"name\":\""u8, 0xff, 0xfe, .. "\"}"u8];
        Assert.Throws<InvalidMessageException>(() => AgentJson.Deserialize<RunRecipe>(body));
    }
}
