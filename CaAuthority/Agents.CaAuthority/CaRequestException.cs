namespace Agents.CaAuthority;

/// <summary>A request the CA refuses, with CloudStack's API error code (431 bad parameter, 401 not allowed, 530 internal).</summary>
public sealed class CaRequestException(int errorCode, string message) : Exception(message)
{
    public int ErrorCode => errorCode;

    public static CaRequestException BadParameter(string message) => new(431, message);
    public static CaRequestException NotAllowed(string message) => new(401, message);
}
