using AgentHost.ChatFormats.Parsing;
using AgentHost.ChatFormats.Peg;
using AgentHost.Grammar;

namespace AgentHost.ChatFormats.Families;

/// <summary>
/// The JSON tool-call section that llama.cpp's automatic parser derives for many templates (its
/// <c>standard_json_tools</c>): opener, one call object or several separated by commas (optionally in a JSON array),
/// closer. Optional in auto mode.
/// </summary>
internal static class JsonToolSection
{
    public static PegNode Build(ChatPegBuilder p, ChatFormatInputs inputs, string start, string end, bool arrayWrapped,
        string nameKey = "name", string argsKey = "arguments", string? idKey = null, bool idFirst = false)
    {
        var tools = inputs.ToolChoice.Mode == ToolChoiceMode.Function
            ? [.. inputs.Tools.Where(t => t.Name == inputs.ToolChoice.FunctionName)]
            : inputs.Tools;
        var call = p.JsonToolCalls(tools, nameKey, argsKey, idKey, idFirst);
        var calls = inputs.ParallelToolCalls ? p.Seq(call, p.ZeroOrMore(p.Seq(p.Space(), ",", p.Space(), call))) : call;
        if (arrayWrapped) calls = p.Seq("[", p.Space(), calls, p.Space(), "]");
        var section = p.Seq(p.Literal(start), p.Space(), calls, p.Space(), p.Literal(end));
        return p.TriggerRule("tool-call", inputs.ToolChoice.Mode == ToolChoiceMode.Auto ? p.Optional(section) : section);
    }
}
