using AgentHost.ChatFormats.Parsing;
using AgentHost.ChatFormats.Peg;

namespace AgentHost.ChatFormats.Families;

/// <summary>
/// DeepSeek R1 (and its Qwen / Llama distills) and DeepSeek V3.1, what llama.cpp's autoparser derives for them:
/// <c>&lt;｜tool▁calls▁begin｜&gt;&lt;｜tool▁call▁begin｜&gt;…&lt;｜tool▁call▁end｜&gt;…&lt;｜tool▁calls▁end｜&gt;</c>, a call
/// being <c>function&lt;｜tool▁sep｜&gt;NAME\n```json\n{…}```</c> (R1) or <c>NAME&lt;｜tool▁sep｜&gt;{…}</c> (V3.1);
/// thinking in <c>&lt;think&gt;</c>.
/// </summary>
public sealed class DeepSeekFormat : ChatFormat
{
    private const string CallsBegin = "<｜tool▁calls▁begin｜>";
    private const string CallsEnd = "<｜tool▁calls▁end｜>";
    private const string CallBegin = "<｜tool▁call▁begin｜>";
    private const string CallEnd = "<｜tool▁call▁end｜>";
    private const string Sep = "<｜tool▁sep｜>";

    public override string Name => "deepseek";

    public override string? ToolCallOpener => CallsBegin;

    // DSML templates (V3.2, V4) are detected before this family.
    public override bool Matches(string src) =>
        src.Contains("<｜Assistant｜>", StringComparison.Ordinal)
        && (src.Contains(CallsBegin, StringComparison.Ordinal) || src.Contains("<think>", StringComparison.Ordinal));

    public override ChatFormatCapabilities Capabilities(string src) => base.Capabilities(src) with
    {
        Tools = src.Contains(CallsBegin, StringComparison.Ordinal),
        ParallelToolCalls = src.Contains(CallsBegin, StringComparison.Ordinal),
    };

    // R1 wraps the arguments in a ```json block after "function<｜tool▁sep｜>NAME".
    private static bool IsR1(string src) => src.Contains("```json", StringComparison.Ordinal);

    public override ChatFormatPlan Build(string src, ChatFormatInputs inputs)
    {
        var p = new ChatPegBuilder();
        var thinking = ThinkingStart(src);
        var reasoning = thinking is null ? p.Eps() : ThinkBlock(p, inputs, "<think>", "</think>");
        var hasCalls = src.Contains(CallsBegin, StringComparison.Ordinal);
        var r1 = IsR1(src);
        PegNode ToolCalls()
        {
            var choices = new List<PegNode>();
            foreach (var tool in Allowed(inputs))
            {
                var name = p.ToolName(p.Literal(tool.Name));
                var call = r1
                    ? p.Seq(p.ToolOpen(p.Seq(CallBegin, "function", Sep, name, "\n```json\n")), p.Space(), p.SchemaArgs(tool), p.Space(), "```", p.Space(), p.ToolClose(p.Literal(CallEnd)))
                    : p.Seq(p.ToolOpen(p.Seq(CallBegin, name, Sep)), p.Space(), p.SchemaArgs(tool), p.Space(), p.ToolClose(p.Literal(CallEnd)));
                choices.Add(p.Rule("tool-" + tool.Name, p.Tool(call)));
            }
            var one = p.Choice([.. choices]);
            var calls = inputs.ParallelToolCalls ? p.Seq(one, p.ZeroOrMore(p.Seq(p.Space(), one))) : one;
            var section = p.TriggerRule("tool-calls", p.Seq(CallsBegin, p.Space(), calls, p.Space(), CallsEnd, p.Space()));
            return inputs.ToolChoice.Mode == AgentHost.Grammar.ToolChoiceMode.Auto ? p.Optional(section) : section;
        }
        return Standard(p, inputs, GenerationPrefix(p, inputs, thinking), reasoning, hasCalls ? ToolCalls : null, [CallsBegin],
            thinking, thinking is null ? [] : ["</think>"], [CallsBegin, CallsEnd, CallBegin, CallEnd, Sep, "<think>", "</think>"]);
    }
}
