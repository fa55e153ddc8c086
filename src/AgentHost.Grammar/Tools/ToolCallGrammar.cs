namespace AgentHost.Grammar;

/// <summary>
/// A grammar for tool calls plus what llama.cpp needs to apply it. When <see cref="Lazy"/> is true pass
/// <see cref="TriggerPatterns"/> to <c>llama_sampler_init_grammar_lazy_patterns</c>: a pattern that starts with '^' and
/// ends with '$' must match the whole generated text, any other pattern is searched for; the grammar then applies
/// from the start of the pattern's first capture group (or of the match). Otherwise use <c>llama_sampler_init_grammar</c>.
/// </summary>
/// <param name="Grammar">GBNF text.</param>
/// <param name="Root">Start rule name.</param>
/// <param name="Lazy">Whether the grammar waits for a trigger (tool choice auto) or applies from the first token.</param>
/// <param name="TriggerPatterns">Regexes (ECMAScript, as std::regex reads them) that activate a lazy grammar.</param>
/// <param name="TriggerWords">
/// The literal openers behind the patterns (e.g. <c>&lt;tool_call&gt;</c>). When one tokenizes to a single special token,
/// its id can also be passed as a trigger token.
/// </param>
public sealed record ToolCallGrammar(string Grammar, string Root, bool Lazy, IReadOnlyList<string> TriggerPatterns, IReadOnlyList<string> TriggerWords);
