using AgentHost.ChatFormats.Parsing;
using AgentHost.ChatFormats.Peg;
using AgentHost.Grammar;

namespace AgentHost.ChatFormats.Families;

/// <summary>
/// Upstage Solar Open (what llama.cpp's autoparser derives for it):
/// <c>&lt;|tool_calls|&gt;&lt;|tool_call:begin|&gt;ID&lt;|tool_call:name|&gt;NAME&lt;|tool_call:args|&gt;{…}&lt;|tool_call:end|&gt;…&lt;|calls|&gt;</c>.
/// As in llama.cpp, no thinking is read (the template keeps it in <c>message.reasoning</c>) and the text before the calls
/// is content as written.
/// </summary>
public sealed class SolarOpenFormat : ChatFormat
{
    private const string Open = "<|tool_calls|>";
    private const string Close = "<|calls|>";

    public override string Name => "solar-open";

    public override string? ToolCallOpener => Open;

    public override bool Matches(string src) =>
        src.Contains("<|tool_call:begin|>", StringComparison.Ordinal) && src.Contains("<|tool_call:args|>", StringComparison.Ordinal);

    protected override string? ThinkingStart(string src) => null;

    public override ChatFormatPlan Build(string src, ChatFormatInputs inputs)
    {
        var p = new ChatPegBuilder();
        PegNode ToolCalls()
        {
            var choices = new List<PegNode>();
            foreach (var tool in Allowed(inputs))
            {
                var open = p.ToolOpen(p.Seq("<|tool_call:begin|>", p.ToolId(p.Until("<|tool_call:name|>")), "<|tool_call:name|>",
                    p.ToolName(p.Literal(tool.Name)), "<|tool_call:args|>"));
                choices.Add(p.Rule("tool-" + tool.Name, p.Tool(p.Seq(open, p.SchemaArgs(tool), p.ToolClose(p.Literal("<|tool_call:end|>"))))));
            }
            var call = p.Choice([.. choices]);
            var calls = inputs.ParallelToolCalls ? p.OneOrMore(call) : call;
            var block = p.TriggerRule("tool-calls", p.Seq(Open, calls, Close, p.Space()));
            return inputs.ToolChoice.Mode == ToolChoiceMode.Auto ? p.Optional(block) : block;
        }
        return Standard(p, inputs, p.Literal(inputs.GenerationPrompt), p.Eps(), ToolCalls, [Open], null, [],
            [Open, Close, "<|tool_call:begin|>", "<|tool_call:name|>", "<|tool_call:args|>", "<|tool_call:end|>"]);
    }
}
