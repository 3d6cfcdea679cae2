namespace Agents.Producers.Api;

/// <summary>A handler read a parameter its definition does not declare: a bug in the handler, answered 530 and logged.</summary>
public sealed class UndeclaredParameterException(string command, string parameter)
    : InvalidOperationException($"{command} read the parameter '{parameter}' without declaring it in its ApiDefinition")
{
    public string Command => command;

    public string Parameter => parameter;
}
