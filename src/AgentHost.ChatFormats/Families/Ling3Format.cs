using AgentHost.ChatFormats.Parsing;
using AgentHost.ChatFormats.Peg;
using AgentHost.Grammar;

namespace AgentHost.ChatFormats.Families;

/// <summary>
/// Ling 3.0 / Bailing V3: <c>&lt;role&gt;ASSISTANT&lt;/role&gt;</c> turns ended by <c>&lt;|role_end|&gt;</c>; calls as GLM
/// writes them (<c>&lt;tool_call&gt;name&lt;arg_key&gt;k&lt;/arg_key&gt;&lt;arg_value&gt;v&lt;/arg_value&gt;&lt;/tool_call&gt;</c>),
/// text may follow the calls; a thinking block the generation prompt opened also ends at a call.
/// </summary>
public sealed class Ling3Format : ChatFormat
{
    private const string Role = "<role>ASSISTANT</role>";
    private const string ThinkStart = "<think>";
    private const string ThinkEnd = "</think>";
    private const string CallStart = "<tool_call>";
    private const string CallEnd = "</tool_call>";
    private const string RoleEnd = "<|role_end|>";
    private const string ArgValEnd = "</arg_value>";

    public override string Name => "ling3";

    public override string? ToolCallOpener => CallStart;

    public override bool Matches(string src) =>
        src.Contains(Role, StringComparison.Ordinal) && src.Contains("<arg_key>", StringComparison.Ordinal);

    protected override string? ThinkingStart(string src) => ThinkStart;

    public override ChatFormatPlan Build(string src, ChatFormatInputs inputs)
    {
        var p = new ChatPegBuilder();
        var gen = inputs.GenerationPrompt;
        var lastOpen = gen.LastIndexOf(ThinkStart, StringComparison.Ordinal);
        var thinkOpen = lastOpen >= 0 && gen.LastIndexOf(ThinkEnd, StringComparison.Ordinal) < lastOpen;
        // The parser reads the generation prompt too: whatever precedes the role marker is taken as it is.
        var roleAt = gen.IndexOf(Role, StringComparison.Ordinal);
        var prefix = p.Literal(roleAt >= 0 ? gen[..roleAt] : "");
        var opener = p.Optional(p.Seq(Role, p.Optional(p.Space())));
        var bodyEnd = thinkOpen ? p.UntilOneOf(ThinkEnd, CallStart) : p.Until(ThinkEnd);
        var thinkBody = inputs.ExtractReasoning ? p.Reasoning(bodyEnd) : p.Content(bodyEnd);
        var reasoning = p.Optional(p.Seq(p.Optional(p.Literal(ThinkStart)), thinkBody, p.Optional(p.Literal(ThinkEnd))));
        var tail = p.Seq(p.Optional(p.Content(p.Until(RoleEnd))), p.Optional(p.Literal(RoleEnd)));
        var hasTools = inputs.HasTools;
        PegNode root;
        if (!hasTools)
        {
            root = p.Seq(prefix, opener, reasoning, tail);
        }
        else
        {
            var call = TaggedToolCalls.AnyCall(p, Allowed(inputs),
                name => p.Seq(CallStart, name),
                (_, key) => p.Seq("<arg_key>", key, "</arg_key>", p.Space(), "<arg_value>"),
                ArgValEnd, p.Literal(CallEnd), "ling3");
            var calls = inputs.ParallelToolCalls ? p.Seq(call, p.ZeroOrMore(p.Seq(p.Space(), call))) : call;
            var section = p.TriggerRule("ling3-tool-call", p.Seq(calls, p.Space(), p.Optional(p.Content(p.Until(RoleEnd))), p.Optional(p.Literal(RoleEnd))));
            var tools = inputs.ToolChoice.Mode == ToolChoiceMode.Required || inputs.ToolChoice.Mode == ToolChoiceMode.Function ? section : p.Optional(section);
            root = p.Seq(prefix, opener, reasoning, p.Optional(p.Content(p.Until(CallStart))), tools, tail);
        }
        var lazy = hasTools && inputs.ToolChoice.Mode == ToolChoiceMode.Auto;
        return new ChatFormatPlan
        {
            Family = Name,
            Parser = root,
            Inputs = inputs,
            Grammar = hasTools ? PegGrammarWriter.Write(root, lazy) : null,
            GrammarLazy = lazy,
            TriggerWords = lazy ? [CallStart] : [],
            ThinkingStartTag = ThinkStart,
            ThinkingEndTags = [ThinkEnd],
            PreservedTokens = [ThinkStart, ThinkEnd, CallStart, CallEnd, "<arg_key>", "</arg_key>", "<arg_value>", ArgValEnd],
        };
    }
}
