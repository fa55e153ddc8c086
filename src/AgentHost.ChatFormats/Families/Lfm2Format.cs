using AgentHost.ChatFormats.Parsing;
using AgentHost.ChatFormats.Peg;
using AgentHost.Grammar;

namespace AgentHost.ChatFormats.Families;

/// <summary>
/// Liquid LFM2 / LFM2.5: Python-style calls, <c>&lt;|tool_call_start|&gt;[f(a=1, b="x"), g()]&lt;|tool_call_end|&gt;</c>,
/// values as Python or JSON literals (read as JSON), thinking in <c>&lt;think&gt;</c> where the template has it
/// (llama.cpp's specialized lfm2 parser, both the tool-list-token and the plain "List of tools" templates).
/// </summary>
public sealed class Lfm2Format : ChatFormat
{
    private const string Open = "<|tool_call_start|>";
    private const string Close = "<|tool_call_end|>";

    public override string Name => "lfm2";

    public override string? ToolCallOpener => Open;

    public override bool Matches(string src) =>
        (src.Contains("<|tool_list_start|>", StringComparison.Ordinal) && src.Contains("<|tool_list_end|>", StringComparison.Ordinal))
        || (src.Contains("List of tools: [", StringComparison.Ordinal) && !src.Contains("<|tool_list_start|>", StringComparison.Ordinal));

    public override ChatFormatPlan Build(string src, ChatFormatInputs inputs)
    {
        var p = new ChatPegBuilder();
        var thinks = src.Contains("<think>", StringComparison.Ordinal);
        var reasoning = thinks && inputs.ExtractReasoning
            ? p.Optional(p.Seq("<think>", p.Reasoning(p.Until("</think>")), "</think>"))
            : p.Eps();
        var prefix = GenerationPrefix(p, inputs, thinks ? "<think>" : null);
        PegNode body;
        var hasTools = inputs.HasTools;
        if (hasTools)
        {
            var value = PythonOrJsonValue(p);
            var choices = new List<PegNode>();
            foreach (var tool in Allowed(inputs))
            {
                var args = new List<PegNode>();
                foreach (var param in ToolParameters.Of(tool))
                {
                    var isString = param.Schema is System.Text.Json.Nodes.JsonObject o && o["type"]?.GetValueKind() == System.Text.Json.JsonValueKind.String
                        && o["type"]!.GetValue<string>() == "string";
                    var v = isString
                        ? p.ToolArgJsonValue(p.Choice(p.Seq("\"", p.StringContent('"'), "\""), p.Seq("'", p.StringContent('\''), "'")))
                        : p.ToolArgJsonValue(value);
                    args.Add(p.ToolArg(p.Seq(p.ToolArgOpen(p.Seq(p.ToolArgName(p.Literal(param.Name)), "=")), v, p.ToolArgClose(p.Eps()))));
                }
                PegNode argList = p.Eps();
                if (args.Count > 0)
                {
                    var one = p.Rule("tool-" + tool.Name + "-arg", p.Choice([.. args]));
                    argList = p.Seq(one, p.ZeroOrMore(p.Seq(",", p.Space(), one)));
                }
                choices.Add(p.Rule("tool-" + tool.Name, p.Tool(p.Seq(
                    p.ToolOpen(p.Seq(p.ToolName(p.Literal(tool.Name)), "(")), p.Space(), p.ToolArgs(argList), p.Space(), p.ToolClose(p.Literal(")"))))));
            }
            var call = p.Choice([.. choices]);
            var list = inputs.ParallelToolCalls ? p.Seq(call, p.ZeroOrMore(p.Seq(",", p.Space(), call))) : call;
            var section = p.Seq(Open, "[", p.Space(), list, p.Space(), "]", Close);
            // llama.cpp requires the call; text alone is still an answer (it falls back to content there).
            var calls = p.TriggerRule("tool-call", inputs.ToolChoice.Mode == ToolChoiceMode.Auto ? p.Optional(section) : section);
            body = p.Seq(reasoning, p.Content(p.Until(Open)), calls);
        }
        else if (inputs.ResponseSchema is { } schema)
        {
            body = p.Seq(reasoning, p.ResponseFormat(schema));
        }
        else
        {
            body = p.Seq(reasoning, p.Content(p.Rest()));
        }
        var root = p.Seq(prefix, body);
        var grammarWanted = hasTools || inputs.ResponseSchema is not null;
        var lazy = hasTools && inputs.ToolChoice.Mode == ToolChoiceMode.Auto;
        return new ChatFormatPlan
        {
            Family = Name,
            Parser = root,
            Inputs = inputs,
            Grammar = grammarWanted ? PegGrammarWriter.Write(root, lazy) : null,
            GrammarLazy = grammarWanted && lazy,
            TriggerWords = grammarWanted && lazy ? [Open] : [],
            ThinkingStartTag = "<think>",
            ThinkingEndTags = ["</think>"],
            PreservedTokens = src.Contains("<|tool_list_start|>", StringComparison.Ordinal)
                ? [Open, Close, "<think>", "</think>", "<|tool_list_start|>", "<|tool_list_end|>"]
                : [Open, Close, "<think>", "</think>"],
        };
    }

    /// <summary>A Python literal whose leaves may also be JSON-cased (<c>true</c>, <c>null</c>), as LFM2 writes them.</summary>
    private static PegRule PythonOrJsonValue(ChatPegBuilder p) => p.Rule("py-json-value", () =>
    {
        var ws = p.Space();
        var value = p.Rule("py-json-value", () => throw new InvalidOperationException("built above"));
        var member = p.Seq(p.PythonString(), ws, ":", ws, value);
        var dict = p.Seq("{", ws, p.Choice(p.Literal("}"), p.Seq(member, p.ZeroOrMore(p.Seq(ws, ",", ws, member)), ws, "}")));
        var array = p.Seq("[", ws, p.Choice(p.Literal("]"), p.Seq(value, p.ZeroOrMore(p.Seq(ws, ",", ws, value)), ws, "]")));
        return p.Choice(p.Rule("py-json-dict", dict), p.Rule("py-json-array", array), p.PythonString(), p.JsonNumber(),
            p.Choice("True", "False", "true", "false"), p.Choice("None", "null"));
    });
}
