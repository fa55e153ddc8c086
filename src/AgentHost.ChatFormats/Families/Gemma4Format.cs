using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using AgentHost.ChatFormats.Parsing;
using AgentHost.ChatFormats.Peg;
using AgentHost.Grammar;

namespace AgentHost.ChatFormats.Families;

/// <summary>
/// Google Gemma 4: <c>&lt;|tool_call&gt;call:f{key:value,...}&lt;tool_call|&gt;</c> with Gemma's own value syntax
/// (bare keys, strings in <c>&lt;|"|&gt;</c> quotes), thinking in <c>&lt;|channel&gt;thought … &lt;channel|&gt;</c>, and a
/// response format in a <c>```json</c> fence. The parser reads any Gemma value (as llama.cpp's specialized parser);
/// beyond llama.cpp, the grammar also holds each call to its tool's schema, written in Gemma's syntax: the declared
/// keys, strings in Gemma quotes held to their enum/pattern/lengths, numbers and booleans as JSON, arrays within their
/// item bounds — so a forced call validates when read back.
/// </summary>
public sealed class Gemma4Format : ChatFormat
{
    private const string Open = "<|tool_call>";
    private const string Quote = "<|\"|>";

    public override string Name => "gemma-4";

    public override string? ToolCallOpener => Open;

    public override bool Matches(string src) => src.Contains("'<|tool_call>call:'", StringComparison.Ordinal);

    protected override string? ThinkingStart(string src) => "<|channel>thought";

    public override ChatFormatPlan Build(string src, ChatFormatInputs inputs)
    {
        var p = new ChatPegBuilder();
        var start = p.Rule("start", p.Optional(p.Literal("<|turn>model\n")));
        var thoughtBody = inputs.ExtractReasoning
            ? p.Seq("<|channel>thought", p.Space(), p.Reasoning(p.Until("<channel|>")), "<channel|>")
            : p.Content(p.Seq("<|channel>thought", p.Space(), p.Until("<channel|>"), "<channel|>"));
        var thoughtRule = p.Rule("thought", thoughtBody);
        // Stray empty channel openers before the thought are skipped.
        var emptyChannels = p.GrammarOf(p.ZeroOrMore(p.Seq("<|channel>", p.Not(p.Literal("thought")))), p.Eps());
        var thought = p.Choice(p.Seq(p.Peek(p.Literal("<|channel>")), emptyChannels, thoughtRule), p.Not(p.Literal("<|channel>")));
        var hasTools = inputs.HasTools;
        PegNode root;
        if (inputs.ResponseSchema is { } schema)
        {
            root = p.Seq(start, p.Optional(thought), p.SpacedSeq(p.Literal("```json"), p.ResponseFormat(schema), p.Literal("```")));
        }
        else if (hasTools)
        {
            var value = p.Rule("gemma4-value", () => p.Choice(GemmaString(p), GemmaDict(p), GemmaArray(p), p.JsonNumber(), p.JsonBool(), p.JsonNull()));
            _ = value;
            var choices = Allowed(inputs).Select(t => (PegNode)p.Rule("tool-" + t.Name, p.Tool(p.Seq(
                p.ToolOpen(p.Seq(p.ToolName(p.Literal(t.Name)), p.Peek(p.Literal("{")))),
                p.ToolArgs(p.GrammarOf(GemmaDict(p), SchemaValue(p, t.Parameters, "tool-" + t.Name + "-args", 0))))))).ToArray();
            var call = p.Seq(Open + "call:", p.Choice(choices), "<tool_call|>");
            var required = inputs.ToolChoice.Mode != ToolChoiceMode.Auto;
            var calls = p.TriggerRule("tool-call", p.Repeat(call, required ? 1 : 0, inputs.ParallelToolCalls ? -1 : 1));
            if (required)
            {
                root = p.Seq(start, thought, calls);
            }
            else
            {
                var content = p.Rule("content", p.Content(p.UntilOneOf("<|channel>", "<channel|>", Open)));
                var message = p.Rule("message", p.Seq(thought, content));
                root = p.Seq(start, p.ZeroOrMore(message), p.Rule("scan-to-toolcall", p.Until(Open)), calls);
            }
        }
        else
        {
            var content = p.Rule("content", p.Content(p.UntilOneOf("<|channel>", "<channel|>")));
            root = p.Seq(start, p.OneOrMore(p.Rule("message", p.Seq(thought, content))));
        }
        var grammarWanted = inputs.ResponseSchema is not null || hasTools;
        var lazy = grammarWanted && inputs.ResponseSchema is null && inputs.ToolChoice.Mode == ToolChoiceMode.Auto;
        return new ChatFormatPlan
        {
            Family = Name,
            Parser = root,
            Inputs = inputs,
            Grammar = grammarWanted ? PegGrammarWriter.Write(root, lazy) : null,
            GrammarLazy = lazy,
            TriggerWords = lazy ? [Open] : [],
            ThinkingStartTag = "<|channel>thought",
            ThinkingEndTags = ["<channel|>"],
            PreservedTokens = ["<|channel>", "<channel|>", Open, "<tool_call|>", "<|turn>"],
            Mapper = () => new Gemma4Mapper(),
        };
    }

    /// <summary>The grammar of a value of <paramref name="schema"/> in Gemma's syntax (the generic value where the schema says too little).</summary>
    private static PegNode SchemaValue(ChatPegBuilder p, JsonNode? schema, string name, int depth)
    {
        var any = p.Rule("gemma4-value", () => throw new InvalidOperationException("gemma4-value is built first"));
        if (depth > 8 || schema is not JsonObject o) return any;
        var types = SchemaTypes.Of(o);
        if (types.IsOnly(SchemaType.String))
        {
            var raw = p.RawString(p.Seq(p.Until(Quote), Quote), name + "-string", o, "<", p.Literal(Quote));
            return p.Seq(Quote, raw);
        }
        if (types.IsOnly(SchemaType.Object) && o["properties"] is JsonObject props && props.Count > 0)
        {
            var required = new HashSet<string>(o["required"] is JsonArray r ? r.OfType<JsonValue>().Where(v => v.GetValueKind() == JsonValueKind.String).Select(v => v.GetValue<string>()) : [], StringComparer.Ordinal);
            // Gemma's template writes arguments with dictsort, so a model trained on it writes the keys sorted.
            var members = props.OrderBy(kv => kv.Key, StringComparer.Ordinal)
                .Select(kv => (Node: p.Seq(p.Literal(kv.Key + ":"), SchemaValue(p, kv.Value, name + "-" + kv.Key, depth + 1)), Required: required.Contains(kv.Key)))
                .ToList();
            // After(i): members i.. once one is written (each present one after a comma); Start(i): none written yet.
            PegNode After(int i) => i == members.Count ? p.Eps()
                : p.Seq(members[i].Required ? p.Seq(",", members[i].Node) : p.Optional(p.Seq(",", members[i].Node)), After(i + 1));
            PegNode Start(int i) => i == members.Count ? p.Eps()
                : members[i].Required ? p.Seq(members[i].Node, After(i + 1))
                : p.Choice(p.Seq(members[i].Node, After(i + 1)), Start(i + 1));
            return p.Rule(name, p.Seq("{", Start(0), "}"));
        }
        if (types.IsOnly(SchemaType.Array))
        {
            var item = SchemaValue(p, o["items"], name + "-item", depth + 1);
            var min = o["minItems"] is JsonValue mi && mi.TryGetValue<int>(out var a) ? a : 0;
            var max = o["maxItems"] is JsonValue ma && ma.TryGetValue<int>(out var b) ? b : -1;
            if (max >= 0 && max < min) return any;
            PegNode elements = min > 0
                ? p.Seq(item, p.Repeat(p.Seq(",", item), min - 1, max < 0 ? -1 : max - 1))
                : max == 0 ? p.Eps() : p.Optional(p.Seq(item, p.Repeat(p.Seq(",", item), 0, max < 0 ? -1 : max - 1)));
            return p.Rule(name, p.Seq("[", elements, "]"));
        }
        // Numbers, integers, booleans, null (and their enums): JSON, held to the schema.
        if (!types.Has(SchemaType.String) && !types.Has(SchemaType.Object) && !types.Has(SchemaType.Array))
            return p.Schema(p.Json(), name + "-scalar", o);
        return any;
    }

    private static PegRule GemmaString(ChatPegBuilder p) => p.Rule("gemma4-string", () => p.Seq(Quote, p.Until(Quote), Quote));

    private static PegRule GemmaDict(ChatPegBuilder p) => p.Rule("gemma4-dict", () =>
    {
        var ws = p.Space();
        var member = p.Seq(p.Chars("[^:}]", 1, -1), ":", ws, p.Rule("gemma4-value", () => throw new InvalidOperationException("gemma4-value is built first")));
        var members = p.Seq(member, p.ZeroOrMore(p.Seq(",", ws, member)));
        return p.Seq("{", ws, p.Choice(p.Literal("}"), p.Seq(members, ws, "}")));
    });

    private static PegRule GemmaArray(ChatPegBuilder p) => p.Rule("gemma4-array", () =>
    {
        var ws = p.Space();
        var value = p.Rule("gemma4-value", () => throw new InvalidOperationException("gemma4-value is built first"));
        var elements = p.Seq(value, p.ZeroOrMore(p.Seq(",", ws, value)));
        return p.Seq("[", ws, p.Choice(p.Literal("]"), p.Seq(elements, ws, "]")));
    });

    /// <summary>Reads Gemma 4's argument syntax as JSON.</summary>
    private sealed class Gemma4Mapper : ChatMessageMapper
    {
        protected override void Visit(PegAstNode node)
        {
            if (node.Tag == ChatTags.ToolArgs) node = node with { Text = ToJson(node.Text), Children = [] };
            base.Visit(node);
        }
    }

    /// <summary>Gemma value text (whole, or cut off while streaming) as JSON text.</summary>
    internal static string ToJson(string text)
    {
        var sb = new StringBuilder(text.Length + 16);
        var i = 0;
        // Whether the next bare word in a dict is a key (after "{" or ",").
        var stack = new Stack<char>();
        var expectKey = false;
        while (i < text.Length)
        {
            if (string.CompareOrdinal(text, i, Quote, 0, Quote.Length) == 0)
            {
                var end = text.IndexOf(Quote, i + Quote.Length, StringComparison.Ordinal);
                var s = end < 0 ? text[(i + Quote.Length)..] : text[(i + Quote.Length)..end];
                var quoted = System.Text.Json.JsonSerializer.Serialize(s, JsonOptionsRelaxed);
                sb.Append(end < 0 ? quoted[..^1] : quoted);
                i = end < 0 ? text.Length : end + Quote.Length;
                continue;
            }
            var c = text[i];
            if (expectKey && c is not ('}' or ' ' or '\n' or '\t' or '\r'))
            {
                var colon = text.IndexOf(':', i);
                var key = colon < 0 ? text[i..] : text[i..colon];
                var quotedKey = System.Text.Json.JsonSerializer.Serialize(key, JsonOptionsRelaxed);
                sb.Append(colon < 0 ? quotedKey[..^1] : quotedKey + ":");
                i = colon < 0 ? text.Length : colon + 1;
                expectKey = false;
                continue;
            }
            switch (c)
            {
                case '{': stack.Push('{'); expectKey = true; break;
                case '[': stack.Push('['); break;
                case '}' or ']': if (stack.Count > 0) stack.Pop(); expectKey = false; break;
                case ',': expectKey = stack.Count > 0 && stack.Peek() == '{'; break;
            }
            sb.Append(c);
            i++;
        }
        return sb.ToString();
    }

    private static readonly System.Text.Json.JsonSerializerOptions JsonOptionsRelaxed =
        new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
}
