using System.Text.RegularExpressions;
using AgentHost.ChatFormats.Parsing;
using AgentHost.ChatFormats.Peg;
using AgentHost.Grammar;

namespace AgentHost.ChatFormats.Families;

/// <summary>
/// Tencent Hunyuan 3 (what llama.cpp's autoparser derives for it): GLM-style arguments in tags suffixed with the
/// template's <c>HYTK</c> (<c>:opensource</c>): <c>&lt;tool_calls:opensource&gt;\n&lt;tool_call:opensource&gt;NAME&lt;tool_sep:opensource&gt;\n
/// &lt;arg_key:opensource&gt;k&lt;/arg_key:opensource&gt;\n&lt;arg_value:opensource&gt;v&lt;/arg_value:opensource&gt;\n&lt;/tool_call:opensource&gt;\n
/// &lt;/tool_calls:opensource&gt;</c>; thinking in <c>&lt;think:opensource&gt;</c>.
/// </summary>
public sealed partial class Hy3Format : ChatFormat
{
    public override string Name => "hy3";

    public override string? ToolCallOpener => "<tool_calls:opensource>";

    // The template builds its markers with '<tool_calls{}>'.format(HYTK).
    public override bool Matches(string src) =>
        src.Contains("'<tool_calls{}>'.format(HYTK)", StringComparison.Ordinal) && src.Contains("'<arg_key{}>'.format(HYTK)", StringComparison.Ordinal);

    private static string Suffix(string src) => HytkPattern().Match(src) is { Success: true } m ? m.Groups[1].Value : ":opensource";

    [GeneratedRegex(@"set\s+HYTK\s*=\s*'([^']*)'")]
    private static partial Regex HytkPattern();

    protected override string? ThinkingStart(string src) => "<think" + Suffix(src) + ">";

    public override ChatFormatPlan Build(string src, ChatFormatInputs inputs)
    {
        var s = Suffix(src);
        string Tag(string name) => "<" + name + s + ">";
        var open = Tag("tool_calls");
        var close = Tag("/tool_calls");
        var thinkStart = Tag("think");
        var thinkEnd = Tag("/think");
        var p = new ChatPegBuilder();
        var reasoning = ThinkBlock(p, inputs, thinkStart, thinkEnd);
        PegNode ToolCalls()
        {
            var call = TaggedToolCalls.AnyCall(p, Allowed(inputs),
                name => p.Seq(Tag("tool_call"), name, Tag("tool_sep")),
                (_, key) => p.Seq(Tag("arg_key"), key, Tag("/arg_key"), p.Space(), Tag("arg_value")),
                Tag("/arg_value"), p.Literal(Tag("/tool_call")));
            var calls = inputs.ParallelToolCalls ? p.Seq(call, p.ZeroOrMore(p.Seq(p.Space(), call))) : call;
            var block = p.TriggerRule("tool-calls", p.Seq(open, p.Space(), calls, p.Space(), close, p.Space()));
            return inputs.ToolChoice.Mode == ToolChoiceMode.Auto ? p.Optional(block) : block;
        }
        return Standard(p, inputs, GenerationPrefix(p, inputs, thinkStart), reasoning, ToolCalls, [open], thinkStart, [thinkEnd],
            [thinkStart, thinkEnd, open, close, Tag("tool_call"), Tag("/tool_call"), Tag("tool_sep"),
             Tag("arg_key"), Tag("/arg_key"), Tag("arg_value"), Tag("/arg_value")]);
    }
}
