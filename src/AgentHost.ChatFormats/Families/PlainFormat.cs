using AgentHost.ChatFormats.Parsing;
using AgentHost.ChatFormats.Peg;

namespace AgentHost.ChatFormats.Families;

/// <summary>
/// Templates whose output llama.cpp reads as text (and <c>&lt;think&gt;</c> reasoning where the template has it) with no
/// tool-call syntax it can learn: Gemma 2/3 (<c>&lt;start_of_turn&gt;</c>), Granite 3.3, SmolLM3, Phi-3.5 and the
/// RWKV World template. Tools given to them produce no calls (as in llama.cpp), so the family reports no tool support.
/// </summary>
public sealed class PlainFormat : ChatFormat
{
    public override string Name => "plain";

    public override string? ToolCallOpener => null;

    public override bool Matches(string src) =>
        (src.Contains("<start_of_turn>", StringComparison.Ordinal) && !src.Contains("tool_call", StringComparison.Ordinal))
        || (src.Contains("<|start_of_role|>", StringComparison.Ordinal) && !src.Contains("<tool_call>", StringComparison.Ordinal))
        || (src.Contains("<|im_start|>", StringComparison.Ordinal) && src.Contains("/no_think", StringComparison.Ordinal)
            && src.Contains("<think>", StringComparison.Ordinal) && !src.Contains("<tool_call>", StringComparison.Ordinal)
            && !src.Contains("<TOOLCALL>", StringComparison.Ordinal))
        || (src.Contains("<|assistant|>", StringComparison.Ordinal) && src.Contains("<|end|>", StringComparison.Ordinal)
            && !src.Contains("tool", StringComparison.Ordinal))
        || (src.Contains("'User: '", StringComparison.Ordinal) && src.Contains("'Assistant: '", StringComparison.Ordinal));

    public override ChatFormatPlan Build(string src, ChatFormatInputs inputs)
    {
        var p = new ChatPegBuilder();
        var thinking = ThinkingStart(src);
        var reasoning = thinking is null ? p.Eps() : ThinkBlock(p, inputs, "<think>", "</think>");
        return Standard(p, inputs, GenerationPrefix(p, inputs, thinking), reasoning, null, [], thinking,
            thinking is null ? [] : ["</think>"], responseFormat: FencedResponseFormat(p, inputs));
    }
}
