using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Nodes;
using AgentHost.ChatFormats;
using AgentHost.Gguf;
using AgentHost.Grammar;
using AgentHost.Jinja;

namespace AgentHost.Cli.Commands;

/// <summary>
/// `agenthost template parse` (what a model's output means under a template's chat format) and `template info`
/// (the family, its tool-call opener and capabilities).
/// </summary>
internal static class TemplateParseCommands
{
    private static readonly JsonSerializerOptions Relaxed = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private sealed record TemplateSource(string Source, string Bos, string Eos);

    private static (Option<string?> Template, Option<string?> Model) SourceOptions() => (
        new Option<string?>("--template") { Description = "A .jinja chat template file" },
        new Option<string?>("--model") { Description = "A GGUF whose own template (tokenizer.chat_template) is used" });

    private static TemplateSource ReadSource(ParseResult parse, Option<string?> template, Option<string?> model)
    {
        if (parse.GetValue(template) is { } t)
        {
            if (!File.Exists(t)) throw new ArgumentException($"--template: file not found: {t}");
            return new TemplateSource(File.ReadAllText(t), "<s>", "</s>");
        }
        if (parse.GetValue(model) is { } m)
        {
            if (!File.Exists(m)) throw new ArgumentException($"--model: file not found: {m}");
            var gguf = GgufFile.Read(m);
            var source = gguf.ChatTemplate ?? throw new ArgumentException($"{m} carries no chat template (tokenizer.chat_template); use --template FILE.jinja.");
            var tokens = gguf.TryGet<string[]>(GgufKeys.Tokens, out var list) ? list : [];
            var bos = gguf.BosTokenId is { } b && b < tokens.Length ? tokens[b] : "";
            var eos = gguf.EosTokenId is { } e && e < tokens.Length ? tokens[e] : "";
            return new TemplateSource(source, bos, eos);
        }
        throw new ArgumentException("Give --template FILE.jinja or --model PATH.");
    }

    public static Command Parse()
    {
        var (template, model) = SourceOptions();
        var output = new Option<string>("--output") { Description = "A file holding the model's output (the reply text)", Required = true };
        var tools = new Option<string?>("--tools") { Description = "An OpenAI tools array (JSON file)" };
        var thinking = new Option<bool>("--enable-thinking") { Description = "The template's enable_thinking (default true)", DefaultValueFactory = _ => true };
        var format = new Option<string>("--reasoning-format") { Description = "auto (thinking becomes reasoning_content) or none (left inline)", DefaultValueFactory = _ => "auto" };
        format.AcceptOnlyFromAmong("auto", "none");
        var parallel = new Option<bool>("--parallel-tool-calls") { Description = "Allow several calls in one reply" };
        var choice = new Option<string>("--tool-choice") { Description = "auto, required or none", DefaultValueFactory = _ => "auto" };
        choice.AcceptOnlyFromAmong("auto", "required", "none");
        var command = new Command("parse", "Parse a model's output with the template's chat format; one JSON message on stdout");
        foreach (var o in new Option[] { template, model, output, tools, thinking, format, parallel, choice }) command.Options.Add(o);
        command.SetAction(parse =>
        {
            var src = ReadSource(parse, template, model);
            var outputPath = parse.GetValue(output)!;
            if (!File.Exists(outputPath)) throw new ArgumentException($"--output: file not found: {outputPath}");
            var reply = File.ReadAllText(outputPath);
            var toolArray = parse.GetValue(tools) is { } tp ? ReadTools(tp) : null;
            var definitions = toolArray is null ? [] : ToDefinitions(toolArray);
            var toolChoice = parse.GetValue(choice) switch { "required" => ToolChoice.Required, "none" => ToolChoice.None, _ => ToolChoice.Auto };
            var enable = parse.GetValue(thinking);
            var family = AgentHost.ChatFormats.ChatFormats.Detect(src.Source);
            JsonObject message;
            if (family is null)
            {
                Console.Error.WriteLine("agenthost: no chat-format family matches this template; parsed with the generic JSON fallback");
                var result = ToolCallFormat.GenericJson.Parse(reply);
                message = Message(result.Text, "", result.ToolCalls.Select(c => (c.Id, c.Name, c.ArgumentsJson)));
            }
            else
            {
                var generationPrompt = GenerationPrompt(src, toolArray, enable);
                var plan = family.Build(src.Source, new ChatFormatInputs
                {
                    Tools = definitions,
                    ToolChoice = toolChoice,
                    ParallelToolCalls = parse.GetValue(parallel),
                    EnableThinking = enable,
                    ReasoningFormat = parse.GetValue(format) == "none" ? ReasoningFormat.None : ReasoningFormat.Auto,
                    GenerationPrompt = generationPrompt,
                });
                var parsed = plan.Parse(reply);
                if (parsed.IsFallback) Console.Error.WriteLine($"agenthost: the output does not follow the {family.Name} format; kept whole as content");
                var n = 0;
                message = Message(parsed.Content, parsed.ReasoningContent,
                    parsed.ToolCalls.Select(c => (c.Id.Length > 0 ? c.Id : "call_" + n++, c.Name, c.Arguments)));
            }
            Console.Out.WriteLine(message.ToJsonString(Relaxed));
            return 0;
        });
        return command;
    }

    public static Command Info()
    {
        var (template, model) = SourceOptions();
        var json = new Option<bool>("--json") { Description = "One JSON object on stdout" };
        var command = new Command("info", "Show the chat-format family of a template, its tool-call opener and capabilities");
        foreach (var o in new Option[] { template, model, json }) command.Options.Add(o);
        command.SetAction(parse =>
        {
            var src = ReadSource(parse, template, model);
            var family = AgentHost.ChatFormats.ChatFormats.Detect(src.Source);
            var caps = ChatTemplateRenderer.DetectCapabilities(src.Source);
            var formatCaps = family?.Capabilities(src.Source);
            var info = new JsonObject
            {
                ["family"] = family?.Name ?? "generic-json",
                ["tool_call_opener"] = family?.ToolCallOpener ?? "{\"tool_calls\":",
                ["tools"] = caps.SupportsTools || (formatCaps?.Tools ?? false),
                ["parallel_tool_calls"] = caps.SupportsParallelToolCalls || (formatCaps?.ParallelToolCalls ?? false),
                ["reasoning"] = formatCaps?.Reasoning ?? false,
                ["system_role"] = caps.SupportsSystemRole,
            };
            if (parse.GetValue(json))
            {
                Console.Out.WriteLine(info.ToJsonString(Relaxed));
            }
            else
            {
                foreach (var (k, v) in info) Console.Out.WriteLine($"{k,-20} {v}");
            }
            return 0;
        });
        return command;
    }

    /// <summary>The generation prompt the template writes for a one-message conversation (the reply continues it).</summary>
    private static string GenerationPrompt(TemplateSource src, JsonArray? tools, bool enableThinking)
    {
        var t = OpenAiChatTemplate.Create(src.Source, src.Bos, src.Eos);
        var messages = new JsonArray(new JsonObject { ["role"] = "user", ["content"] = "Hello" });
        var kwargs = new Dictionary<string, JsonNode?> { ["enable_thinking"] = enableThinking };
        var with = t.Render(messages.DeepClone(), tools?.DeepClone(), addGenerationPrompt: true, kwargs);
        string without;
        try
        {
            without = t.Render(messages.DeepClone(), tools?.DeepClone(), addGenerationPrompt: false, kwargs);
        }
        catch (TemplateException)
        {
            return "";
        }
        var n = 0;
        while (n < Math.Min(with.Length, without.Length) && with[n] == without[n]) n++;
        return with[n..];
    }

    private static JsonArray ReadTools(string path)
    {
        if (!File.Exists(path)) throw new ArgumentException($"--tools: file not found: {path}");
        JsonNode? node;
        try
        {
            node = JsonNode.Parse(File.ReadAllText(path));
        }
        catch (JsonException e)
        {
            throw new ArgumentException($"--tools {path}: not valid JSON ({e.Message})");
        }
        return node as JsonArray ?? throw new ArgumentException($"--tools {path}: must be an OpenAI tools array ([{{\"type\":\"function\",\"function\":{{...}}}}])");
    }

    private static List<ToolDefinition> ToDefinitions(JsonArray tools)
    {
        var list = new List<ToolDefinition>();
        for (var i = 0; i < tools.Count; i++)
        {
            var f = tools[i]?["function"] as JsonObject ?? throw new ArgumentException($"--tools[{i}]: needs a \"function\" object");
            var name = f["name"]?.GetValue<string>() ?? throw new ArgumentException($"--tools[{i}].function: needs a \"name\"");
            list.Add(new ToolDefinition(name, f["description"]?.GetValue<string>(), f["parameters"]));
        }
        return list;
    }

    private static JsonObject Message(string content, string reasoning, IEnumerable<(string Id, string Name, string Arguments)> calls)
    {
        var msg = new JsonObject { ["role"] = "assistant", ["content"] = content.Length > 0 ? content : null };
        if (reasoning.Length > 0) msg["reasoning_content"] = reasoning;
        var array = new JsonArray();
        foreach (var (id, name, args) in calls)
            array.Add(new JsonObject { ["id"] = id, ["type"] = "function", ["function"] = new JsonObject { ["name"] = name, ["arguments"] = args } });
        if (array.Count > 0) msg["tool_calls"] = array;
        return msg;
    }
}
