using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using AgentHost.ChatFormats.Parsing;
using AgentHost.ChatFormats.Peg;
using AgentHost.Grammar;

namespace AgentHost.ChatFormats.Families;

/// <summary>
/// MiniMax M3: every tag carries the namespace token <c>]&lt;]minimax[&gt;[</c>; a call is
/// <c>NS&lt;tool_call&gt;\nNS&lt;invoke name="f"&gt;NS&lt;arg&gt;value NS&lt;/arg&gt;…NS&lt;/invoke&gt;\nNS&lt;/tool_call&gt;</c>, where an
/// object argument is nested elements and an array argument <c>NS&lt;item&gt;…NS&lt;/item&gt;</c> elements (typed by the
/// schema); thinking in <c>&lt;mm:think&gt;</c>; a response format is a <c>```json</c> block.
/// </summary>
public sealed class MiniMaxM3Format : ChatFormat
{
    private const string Ns = "]<]minimax[>[";
    private const string ThinkStart = "<mm:think>";
    private const string ThinkEnd = "</mm:think>";
    private const string FcStart = Ns + "<tool_call>";
    private const string FcEnd = Ns + "</tool_call>";
    private const string InvokeEnd = Ns + "</invoke>";

    internal const string ToolTag = "minimax-m3-tool";
    internal const string ObjectTag = "minimax-m3-object";
    internal const string ArrayTag = "minimax-m3-array";
    internal const string ItemTag = "minimax-m3-item";

    public override string Name => "minimax-m3";

    public override string? ToolCallOpener => FcStart;

    public override bool Matches(string src) =>
        src.Contains(Ns, StringComparison.Ordinal) && src.Contains("<tool_call>", StringComparison.Ordinal)
        && src.Contains("<invoke name=", StringComparison.Ordinal);

    protected override string? ThinkingStart(string src) => ThinkStart;

    public override ChatFormatPlan Build(string src, ChatFormatInputs inputs)
    {
        var p = new ChatPegBuilder();
        var prefix = GenerationPrefix(p, inputs, ThinkStart);
        var reasoning = p.Eps();
        if (inputs.ExtractReasoning)
        {
            var body = inputs.EnableThinking ? p.Reasoning(p.Until(ThinkEnd)) : p.Until(ThinkEnd);
            reasoning = p.Optional(p.Choice(p.Seq(ThinkStart, p.Space(), body, ThinkEnd), p.Literal(ThinkEnd)));
        }
        var hasTools = inputs.HasTools;
        PegNode root;
        if (inputs.ResponseSchema is { } schema && !hasTools)
        {
            root = p.Seq(prefix, reasoning, p.Space(), "```json", p.Space(), p.ResponseFormat(schema), p.Space(), "```");
        }
        else if (!hasTools)
        {
            root = p.Seq(prefix, reasoning, p.Content(p.Rest()));
        }
        else
        {
            var choices = new List<PegNode>();
            foreach (var tool in Allowed(inputs))
            {
                var members = tool.Parameters is JsonObject o ? Members(p, o, "tool-" + tool.Name + "-arg") : p.Eps();
                var call = p.Tag(ToolTag, p.Seq(
                    p.ToolOpen(p.Seq(Ns + "<invoke name=\"", p.ToolName(p.Literal(tool.Name)), "\">")),
                    p.Space(), members, p.Space(), p.ToolClose(p.Literal(InvokeEnd))));
                choices.Add(p.Rule("tool-" + tool.Name, call));
            }
            var one = p.Choice([.. choices]);
            var calls = inputs.ParallelToolCalls ? p.Seq(one, p.ZeroOrMore(p.Seq(p.Space(), one))) : one;
            PegNode section = p.TriggerRule("tool-call", p.Seq(FcStart, p.Space(), calls, p.Space(), FcEnd, p.Space()));
            if (inputs.ToolChoice.Mode == ToolChoiceMode.Auto) section = p.Optional(section);
            root = p.Seq(prefix, reasoning, p.Content(p.Until(FcStart)), section);
        }
        var grammarWanted = hasTools || inputs.ResponseSchema is not null;
        var lazy = hasTools && inputs.ToolChoice.Mode == ToolChoiceMode.Auto && inputs.ResponseSchema is null;
        return new ChatFormatPlan
        {
            Family = Name,
            Parser = root,
            Inputs = inputs,
            Grammar = grammarWanted ? PegGrammarWriter.Write(root, lazy) : null,
            GrammarLazy = lazy,
            TriggerWords = lazy ? [FcStart] : [],
            ThinkingStartTag = ThinkStart,
            ThinkingEndTags = [ThinkEnd],
            PreservedTokens = [Ns, "<tool_call>", "</tool_call>", ThinkStart, ThinkEnd],
            Mapper = () => new MiniMaxM3Mapper(),
        };
    }

    /// <summary>The declared properties as elements: required ones in order, then optional ones in any order.</summary>
    private static PegNode Members(ChatPegBuilder p, JsonObject schema, string prefix)
    {
        if (schema["properties"] is not JsonObject props || props.Count == 0) return p.Eps();
        var required = new HashSet<string>(StringComparer.Ordinal);
        if (schema["required"] is JsonArray req)
        {
            foreach (var r in req) if (r?.GetValueKind() == JsonValueKind.String) required.Add(r.GetValue<string>());
        }
        var members = new List<PegNode>();
        var optional = new List<PegNode>();
        foreach (var (name, propSchema) in props)
        {
            var element = Element(p, name, propSchema ?? new JsonObject(), prefix + "-" + name);
            if (required.Contains(name))
            {
                if (members.Count > 0) members.Add(p.Space());
                members.Add(element);
            }
            else optional.Add(element);
        }
        if (optional.Count > 0) members.Add(p.ZeroOrMore(p.Seq(p.Space(), p.Choice([.. optional]))));
        return p.Seq([.. members]);
    }

    private static PegNode Element(ChatPegBuilder p, string tag, JsonNode schema, string rule) =>
        p.Rule(rule, p.ToolArg(p.Seq(p.ToolArgOpen(p.Seq(Ns + "<", p.ToolArgName(p.Literal(tag)), ">")), Value(p, schema, rule, Ns + "</" + tag + ">"))));

    private static PegNode Value(ChatPegBuilder p, JsonNode schema, string rule, string close)
    {
        var closeTag = p.ToolArgClose(p.Literal(close));
        if (SchemaTypes.MayBeString(schema))
            return p.UntilIncluding(p.Seq(p.ToolArgStringValue(p.Until(close)), closeTag), close);
        if (schema is JsonObject o)
        {
            if ((o["anyOf"] ?? o["oneOf"]) is JsonArray alternatives && alternatives.Count > 0)
                return p.Choice([.. alternatives.Select((a, i) => Value(p, a ?? new JsonObject(), rule + "-" + i, close))]);
            if (o["properties"] is JsonObject { Count: > 0 })
                return p.Seq(p.Tag(ObjectTag, Members(p, o, rule)), p.Space(), closeTag);
            if ((string?)(o["type"] as JsonValue) == "array" || o["items"] is not null)
            {
                var items = o["items"] ?? new JsonObject();
                var item = p.Rule(rule + "-item", p.Tag(ItemTag, p.Seq(Ns + "<item>", Value(p, items, rule + "-item", Ns + "</item>"))));
                return p.Seq(p.Tag(ArrayTag, p.ZeroOrMore(p.Seq(p.Space(), item))), p.Space(), closeTag);
            }
        }
        return p.Seq(p.ToolArgJsonValue(p.Schema(p.Json(), rule + "-schema", schema)), closeTag);
    }
}

/// <summary>Builds MiniMax M3 arguments from nested elements: objects, arrays of items, strings and JSON scalars.</summary>
internal sealed class MiniMaxM3Mapper : ChatMessageMapper
{
    protected override void Visit(PegAstNode node)
    {
        if (node.Tag != MiniMaxM3Format.ToolTag)
        {
            base.Visit(node);
            return;
        }
        var name = Find(node, ChatTags.ToolName);
        if (name is null) return;
        AddToolCall(name.Text, Container(node, isObject: true, closed: !node.IsPartial), "", !node.IsPartial);
    }

    private static string Container(PegAstNode node, bool isObject, bool closed)
    {
        var entries = new List<PegAstNode>();
        Collect(node, isObject ? ChatTags.ToolArg : MiniMaxM3Format.ItemTag, entries);
        var sb = new StringBuilder(isObject ? "{" : "[");
        var first = true;
        foreach (var e in entries)
        {
            string text;
            if (isObject)
            {
                var key = Find(e, ChatTags.ToolArgName);
                if (key is null) continue;
                text = JsonSerializer.Serialize(key.Text, JsonOptions.Relaxed) + ":" + ValueJson(ValueOf(e), !e.IsPartial);
            }
            else
            {
                text = ValueJson(ValueOf(e), !e.IsPartial);
            }
            if (text.Length == 0) continue;
            if (!first) sb.Append(',');
            first = false;
            sb.Append(text);
        }
        if (closed) sb.Append(isObject ? '}' : ']');
        return sb.ToString();
    }

    private static string ValueJson(PegAstNode? v, bool closed) => v?.Tag switch
    {
        null => "",
        MiniMaxM3Format.ObjectTag => Container(v, true, closed),
        MiniMaxM3Format.ArrayTag => Container(v, false, closed),
        ChatTags.ToolArgStringValue => "\"" + JsonStringInner(v.Text) + (closed ? "\"" : ""),
        _ => NormalizeValue(v.Text, v.IsPartial),
    };

    private static bool IsValue(string? tag) =>
        tag is ChatTags.ToolArgStringValue or ChatTags.ToolArgValue or MiniMaxM3Format.ObjectTag or MiniMaxM3Format.ArrayTag;

    // The first value below an entry, not looking inside nested containers.
    private static PegAstNode? ValueOf(PegAstNode entry)
    {
        foreach (var c in entry.Children)
        {
            if (IsValue(c.Tag)) return c;
            if (ValueOf(c) is { } found) return found;
        }
        return null;
    }

    private static void Collect(PegAstNode node, string tag, List<PegAstNode> into)
    {
        foreach (var c in node.Children)
        {
            if (c.Tag == tag) into.Add(c);
            else if (c.Tag is not (MiniMaxM3Format.ObjectTag or MiniMaxM3Format.ArrayTag)) Collect(c, tag, into);
        }
    }

    private static PegAstNode? Find(PegAstNode node, string tag)
    {
        foreach (var c in node.Children)
        {
            if (c.Tag == tag) return c;
            if (Find(c, tag) is { } found) return found;
        }
        return null;
    }
}
