namespace Agents.Producers.Api;

/// <summary>CloudStack's parameter types (BaseCmd.CommandType), shown lower-cased by listApis.</summary>
public enum ApiParameterType
{
    String,
    Uuid,
    Long,
    Integer,
    Boolean,
    Date,
    List,
    Map,
}
