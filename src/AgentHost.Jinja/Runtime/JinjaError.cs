namespace AgentHost.Jinja.Runtime;

/// <summary>
/// A runtime failure raised by builtins and operators before its location is known; the evaluator
/// turns it into a located <see cref="TemplateRuntimeException"/> at the innermost node.
/// </summary>
internal class JinjaError(string message) : Exception(message);

/// <summary>Thrown by the <c>raise_exception</c> global; becomes <see cref="TemplateRaisedException"/>.</summary>
internal sealed class RaisedError(string templateMessage) : JinjaError(templateMessage);

/// <summary>Non-local exits for {% break %} and {% continue %}; like llama.cpp they cross macro calls.</summary>
internal abstract class LoopSignal : Exception;

internal sealed class BreakSignal : LoopSignal
{
    public static readonly BreakSignal Instance = new();
}

internal sealed class ContinueSignal : LoopSignal
{
    public static readonly ContinueSignal Instance = new();
}
