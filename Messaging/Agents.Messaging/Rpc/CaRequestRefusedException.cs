namespace Agents.Messaging.Rpc;

/// <summary>The CA refused a request (bad token, revoked certificate, bad CSR ...): not worth retrying as is.</summary>
public sealed class CaRequestRefusedException(int errorCode, string errorText) : Exception(errorText)
{
    public int ErrorCode => errorCode;
}
