using System.Text.Json.Nodes;
using AgentHost.Jinja.Runtime;
using AgentHost.Jinja.Runtime.Values;

namespace AgentHost.Jinja.Compat;

/// <summary>
/// Port of llama.cpp's jinja::caps_get: renders probe conversations in statistics mode and reads
/// which values the template touched (used, tested as string, indexed as a list, ...).
/// </summary>
internal static class CapabilityDetector
{
    private const string ContentMarker = "STRING_MARKER";
    private const string ReasoningPlaceholder = "<REASONING_CONTENT_PLACEHOLDER>";

    public static TemplateCapabilities Detect(ChatTemplate template)
    {
        ArgumentNullException.ThrowIfNull(template);
        var caps = new TemplateCapabilities();
        var now = DateTimeOffset.Now;

        Probe Run(JsonArray messages, JsonArray? tools = null, Action<Context>? setup = null)
        {
            var ctx = template.NewStatsContext(now);
            ctx.Set("messages", JsonValueConverter.FromJson(messages, markInput: true));
            ctx.Set("tools", JsonValueConverter.FromJson(tools ?? [], markInput: true));
            ctx.Set("bos_token", new StringValue("", isInput: true));
            ctx.Set("eos_token", new StringValue("", isInput: true));
            ctx.Set("add_generation_prompt", BoolValue.True);
            setup?.Invoke(ctx);
            var messagesValue = ctx.Get("messages");
            var toolsValue = ctx.Get("tools");
            var (success, output) = template.RenderForStats(ctx);
            return new Probe(ctx, success, output, messagesValue, toolsValue);
        }

        // typed vs string content
        var checksForString = false;
        {
            var p = Run([new JsonObject { ["role"] = "user", ["content"] = ContentMarker }]);
            var content = At(p.Messages, 0, "content");
            if (content.HasOp("test_is_string")) checksForString = true;
            var usedAsArray = content.HasOp("selectattr") || content.HasOp("array_access");
            if (usedAsArray) caps = caps with { SupportsTypedContent = true };
            if (!p.Success || (usedAsArray && !p.Output.Contains(ContentMarker, StringComparison.Ordinal)))
                caps = caps with { SupportsStringContent = false };
        }
        if (checksForString)
        {
            var p = Run([new JsonObject { ["role"] = "user", ["content"] = new JsonArray() }]);
            var content = At(p.Messages, 0, "content");
            if ((content.HasOp("selectattr") || content.HasOp("array_access")) && p.Success)
                caps = caps with { SupportsTypedContent = true };
        }

        // system role
        {
            var p = Run([
                new JsonObject { ["role"] = "system", ["content"] = "System message" },
                new JsonObject { ["role"] = "user", ["content"] = "User message" },
            ]);
            if (!At(p.Messages, 0, "content").Used) caps = caps with { SupportsSystemRole = false };
        }

        // single tool call with object arguments, then with string arguments
        {
            var p = Run(ToolConversation(ObjectArgs(), parallel: false), ProbeTools());
            if (p.Success)
            {
                if (!At(At(At(p.Tools, 0, "function"), "name")).Used) caps = caps with { SupportsTools = false };
                var toolCalls = At(p.Messages, 1, "tool_calls");
                if (!toolCalls.Used) caps = caps with { SupportsToolCalls = false };
                else if (At(At(At(At(toolCalls, 0, "function"), "arguments"), "arg")).Used)
                    caps = caps with { SupportsObjectArguments = true };
            }
        }
        if (!caps.SupportsObjectArguments)
        {
            var p = Run(ToolConversation(StringArgs(), parallel: false), ProbeTools());
            if (!p.Success) caps = caps with { SupportsToolCalls = false, SupportsTools = false };
            else
            {
                if (!At(At(At(p.Tools, 0, "function"), "name")).Used) caps = caps with { SupportsTools = false };
                if (!At(p.Messages, 1, "tool_calls").Used) caps = caps with { SupportsToolCalls = false };
            }
        }

        // parallel tool calls
        {
            var p = Run(ToolConversation(caps.SupportsObjectArguments ? ObjectArgs() : StringArgs(), parallel: true), ProbeTools());
            if (!p.Success || !At(At(At(p.Messages, 1, "tool_calls"), 1, "function")).Used)
                caps = caps with { SupportsParallelToolCalls = false };
        }

        // reasoning kept in history
        {
            var p = Run([
                new JsonObject { ["role"] = "user", ["content"] = "User message" },
                new JsonObject { ["role"] = "assistant", ["content"] = "Assistant message", ["reasoning_content"] = ReasoningPlaceholder },
                new JsonObject { ["role"] = "user", ["content"] = "User message" },
                new JsonObject { ["role"] = "assistant", ["content"] = "Assistant message", ["reasoning_content"] = "Reasoning content" },
                new JsonObject { ["role"] = "user", ["content"] = "User message" },
            ], setup: ctx =>
            {
                ctx.Set("enable_thinking", BoolValue.True);
                ApplyPreserveReasoning(ctx, true);
            });
            if (p.Output.Contains(ReasoningPlaceholder, StringComparison.Ordinal)) caps = caps with { SupportsPreserveReasoning = true };
        }

        // reasoning effort
        {
            var p = Run([new JsonObject { ["role"] = "user", ["content"] = "User message" }], setup: ctx =>
            {
                ctx.Set("enable_thinking", BoolValue.True);
                ApplyReasoningEffort(ctx, "low");
            });
            caps = caps with { SupportsReasoningEffort = p.Ctx.Get("reasoning_effort").Used };
        }
        return caps;
    }

    internal static void ApplyPreserveReasoning(Context ctx, bool enabled)
    {
        ctx.Set("preserve_thinking", BoolValue.Of(enabled));
        ctx.Set("clear_thinking", BoolValue.Of(!enabled));
        ctx.Set("truncate_history_thinking", BoolValue.Of(!enabled));
        ctx.Set("drop_thinking", BoolValue.Of(!enabled));
    }

    internal static void ApplyReasoningEffort(Context ctx, string effort)
    {
        // one value bound to both names, so usage through either is seen
        var value = new StringValue(effort);
        ctx.Set("reasoning_effort", value);
        ctx.Set("reasoning_strength", value);
    }

    private sealed record Probe(Context Ctx, bool Success, string Output, Value Messages, Value Tools);

    // The probes navigate values they built themselves; a missing step yields undefined.
    private static Value At(Value v, int index, string key) => At(At(v, index), key);

    private static Value At(Value v, int index) =>
        v is ArrayValue a && index < a.Items.Count ? a.Items[index] : UndefinedValue.Instance;

    private static Value At(Value v, string key) => v is ObjectValue o ? o.Get(key, UndefinedValue.Instance) : UndefinedValue.Instance;

    private static Value At(Value v) => v;

    private static JsonNode ObjectArgs() => new JsonObject { ["arg"] = "value" };

    private static JsonNode StringArgs() => JsonValue.Create("{\"arg\": \"value\"}");

    private static JsonArray ToolConversation(JsonNode args, bool parallel)
    {
        JsonObject Call(string id) => new()
        {
            ["id"] = id,
            ["type"] = "function",
            ["function"] = new JsonObject { ["name"] = "tool1", ["arguments"] = args.DeepClone() },
        };
        var calls = new JsonArray { Call("call00001") };
        if (parallel) calls.Add(Call("call00002"));
        return
        [
            new JsonObject { ["role"] = "user", ["content"] = "User message" },
            new JsonObject { ["role"] = "assistant", ["content"] = "", ["tool_calls"] = calls },
            new JsonObject { ["role"] = "tool", ["content"] = "Tool response", ["tool_call_id"] = "call00001" },
            new JsonObject { ["role"] = "assistant", ["content"] = "The tool response was 'tool response'" },
            new JsonObject { ["role"] = "user", ["content"] = "User message" },
        ];
    }

    private static JsonArray ProbeTools() =>
    [
        new JsonObject
        {
            ["name"] = "tool",
            ["type"] = "function",
            ["function"] = new JsonObject
            {
                ["name"] = "tool1",
                ["description"] = "Tool description",
                ["parameters"] = new JsonObject
                {
                    ["type"] = "object",
                    ["properties"] = new JsonObject
                    {
                        ["arg"] = new JsonObject { ["type"] = "string", ["description"] = "Arg description" },
                    },
                    ["required"] = new JsonArray("arg"),
                },
            },
        },
    ];
}
