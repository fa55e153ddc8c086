namespace AgentHost.Grammar;

/// <summary>The format-specific state machine behind <see cref="StreamingToolCallParser"/>.</summary>
internal interface IToolCallDecoder
{
    /// <summary>
    /// Appends <paramref name="text"/> and moves as far as is safe: releases text that cannot belong to a call through
    /// <paramref name="text"/>'s emitter and completed calls into <paramref name="calls"/>. With <paramref name="final"/>
    /// nothing more will come, so everything is decided; with <paramref name="cutOff"/> as well, a call still open is
    /// dropped. Returns true when it dropped one.
    /// </summary>
    bool Feed(string text, bool final, bool cutOff, TextEmitter emitter, List<ParsedToolCall> calls);
}
