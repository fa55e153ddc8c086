using System.Text.Json.Nodes;
using AgentHost.Jinja.Lexing;
using AgentHost.Jinja.Parsing;
using AgentHost.Jinja.Parsing.Ast;
using AgentHost.Jinja.Runtime;
using AgentHost.Jinja.Runtime.Values;

namespace AgentHost.Jinja;

/// <summary>
/// A parsed chat template (the <c>tokenizer.chat_template</c> of a GGUF), rendered with the same
/// semantics as llama.cpp's own Jinja engine. Instances are immutable and thread-safe.
/// </summary>
public sealed class ChatTemplate
{
    private readonly TemplateProgram _program;
    private readonly SourceText _source;

    private ChatTemplate(string source, TemplateProgram program, SourceText text)
    {
        Source = source;
        _program = program;
        _source = text;
    }

    /// <summary>The template source as given to <see cref="Parse"/>.</summary>
    public string Source { get; }

    /// <summary>Parses a template; throws <see cref="TemplateSyntaxException"/> (with line and column) when it is invalid.</summary>
    public static ChatTemplate Parse(string source)
    {
        ArgumentNullException.ThrowIfNull(source);
        var (normalized, tokens) = Lexer.Tokenize(source);
        var text = new SourceText(normalized);
        return new ChatTemplate(source, Parser.Parse(tokens, text), text);
    }

    /// <summary>
    /// Renders the template. Throws <see cref="TemplateRaisedException"/> when the template calls
    /// <c>raise_exception</c>, and <see cref="TemplateRuntimeException"/> for any other failure.
    /// </summary>
    public string Render(ChatTemplateInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var variables = new List<KeyValuePair<string, JsonNode?>>
        {
            new("messages", input.Messages),
            new("bos_token", input.BosToken),
            new("eos_token", input.EosToken),
        };
        if (input.Tools is not null) variables.Add(new("tools", input.Tools));
        variables.AddRange(input.ExtraVariables);
        if (input.AddGenerationPrompt) variables.Add(new("add_generation_prompt", true));
        return RenderVariables(variables, input.Clock.GetLocalNow(), input.Limits);
    }

    /// <summary>Renders with variables given as JSON (later entries win), marking their strings as user input.</summary>
    internal string RenderVariables(IEnumerable<KeyValuePair<string, JsonNode?>> variables, DateTimeOffset now, RenderLimits limits)
    {
        var ctx = new Context(new RenderState(_source, now, limits, collectStats: false));
        foreach (var (name, value) in variables) ctx.Set(name, JsonValueConverter.FromJson(value, markInput: true));
        var output = Evaluator.Render(_program, ctx);
        return output.Str;
    }

    /// <summary>Runs the template in statistics mode for capability detection; exceptions are reported, not thrown.</summary>
    internal (bool Success, string Output) RenderForStats(Context ctx)
    {
        try
        {
            return (true, Evaluator.Render(_program, ctx).Str);
        }
        catch (TemplateException)
        {
            return (false, "");
        }
    }

    /// <summary>A fresh statistics-mode context for capability probes.</summary>
    internal Context NewStatsContext(DateTimeOffset now) =>
        new(new RenderState(_source, now, RenderLimits.Default, collectStats: true));
}
