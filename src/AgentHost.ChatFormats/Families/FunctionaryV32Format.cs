using AgentHost.ChatFormats.Parsing;
using AgentHost.ChatFormats.Peg;
using AgentHost.Grammar;

namespace AgentHost.ChatFormats.Families;

/// <summary>
/// MeetKai Functionary v3.2: every message names its recipient after <c>&gt;&gt;&gt;</c> (the generation prompt ends
/// with it): <c>all\n</c> then text for the user, or <c>f\n{...}</c> for a call. As llama.cpp's specialized parser,
/// plus what it misses: calls after a text message (<c>all\n…&gt;&gt;&gt;f\n{...}</c>) and further parallel calls,
/// each after its own <c>&gt;&gt;&gt;</c>.
/// </summary>
public sealed class FunctionaryV32Format : ChatFormat
{
    private const string Marker = ">>>";

    public override string Name => "functionary-v3.2";

    public override string? ToolCallOpener => Marker;

    public override bool Matches(string src) =>
        src.Contains(">>>all", StringComparison.Ordinal) && src.Contains(">>>${recipient}", StringComparison.Ordinal);

    protected override string? ThinkingStart(string src) => null;

    public override ChatFormatPlan Build(string src, ChatFormatInputs inputs)
    {
        var p = new ChatPegBuilder();
        // The prompt's own ">>>" opens the first message; the parser reads generation prompt + reply.
        var gen = inputs.GenerationPrompt;
        var prefix = gen.EndsWith(Marker, StringComparison.Ordinal) ? gen[..^Marker.Length] : gen;
        var root = p.Literal(prefix) + p.Literal(Marker);
        var hasTools = inputs.HasTools;
        PegNode body;
        if (!hasTools)
        {
            body = p.Seq("all\n", p.Content(p.Rest()));
        }
        else
        {
            var choices = Allowed(inputs).Select(t => (PegNode)p.Rule("tool-" + t.Name, p.Tool(p.Seq(
                p.ToolOpen(p.Seq(p.ToolName(p.Literal(t.Name)), "\n")), p.SchemaArgs(t))))).ToArray();
            var call = p.Choice(choices);
            // Lazy grammar: it starts at the ">>>" that triggered it (or right after the prompt's own).
            var more = inputs.ParallelToolCalls ? p.ZeroOrMore(p.Seq(p.Space(), Marker, call)) : p.Eps();
            var tools = p.TriggerRule("tools", p.Seq(p.Optional(p.Literal(Marker)), call, more));
            var text = p.Seq("all\n", p.Content(p.Until(Marker)));
            body = inputs.ToolChoice.Mode == ToolChoiceMode.Auto
                ? p.Choice(tools, p.Seq(text, p.Optional(tools)))
                : p.Choice(tools, p.Seq(text, tools));
        }
        root = p.Seq(root, body);
        var lazy = hasTools && inputs.ToolChoice.Mode == ToolChoiceMode.Auto;
        return new ChatFormatPlan
        {
            Family = Name,
            Parser = root,
            Inputs = inputs,
            Grammar = hasTools ? PegGrammarWriter.Write(root, lazy) : null,
            GrammarLazy = hasTools && lazy,
            TriggerPatterns = hasTools && lazy ? [">>>(?!all)"] : [],
            PreservedTokens = [">>>all"],
        };
    }
}
