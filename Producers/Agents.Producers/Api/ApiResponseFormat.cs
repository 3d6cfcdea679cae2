namespace Agents.Producers.Api;

/// <summary>CloudStack's <c>response</c> parameter: <c>json</c>, or XML for anything else and when it is absent.</summary>
public enum ApiResponseFormat
{
    Xml,
    Json,
}
