using System.CommandLine;
using AgentHost.Gguf;
using AgentHost.Jinja;

namespace AgentHost.Cli.Commands;

/// <summary>`agenthost template render`: prints exactly the prompt a chat template renders for an OpenAI-style conversation.</summary>
internal static class TemplateCommands
{
    public static Command Create()
    {
        var template = new Option<string?>("--template") { Description = "A .jinja chat template file" };
        var model = new Option<string?>("--model") { Description = "A GGUF whose own template (tokenizer.chat_template) is used" };
        var conversation = new Option<string>("--conversation") { Description = "OpenAI chat JSON: {\"messages\": [...], \"tools\": [...]}", Required = true };
        var bos = new Option<string?>("--bos-token") { Description = "bos_token value (default: the model's, else empty)" };
        var eos = new Option<string?>("--eos-token") { Description = "eos_token value (default: the model's, else empty)" };
        var render = new Command("render", "Render a conversation with a chat template (generation prompt added); only the prompt on stdout");
        foreach (var o in new Option[] { template, model, conversation, bos, eos }) render.Options.Add(o);
        render.SetAction(parse =>
        {
            string source;
            string? modelBos = null, modelEos = null;
            if (parse.GetValue(template) is { } t) source = File.ReadAllText(t);
            else if (parse.GetValue(model) is { } m)
            {
                var gguf = GgufFile.Read(m);
                source = gguf.ChatTemplate ?? throw new ArgumentException($"{m} carries no chat template (tokenizer.chat_template); use --template FILE.jinja.");
                var tokens = gguf.TryGet<string[]>(GgufKeys.Tokens, out var list) ? list : [];
                if (gguf.BosTokenId is { } b && b < tokens.Length) modelBos = tokens[b];
                if (gguf.EosTokenId is { } e && e < tokens.Length) modelEos = tokens[e];
            }
            else throw new ArgumentException("Give --template FILE.jinja or --model PATH.");
            var json = File.ReadAllText(parse.GetValue(conversation)!);
            var text = ChatTemplateRenderer.RenderOpenAiConversation(source, json, parse.GetValue(bos) ?? modelBos ?? "", parse.GetValue(eos) ?? modelEos ?? "", addGenerationPrompt: true);
            Console.Out.Write(text);
            return 0;
        });
        var command = new Command("template", "Chat templates");
        command.Subcommands.Add(render);
        command.Subcommands.Add(TemplateParseCommands.Parse());
        command.Subcommands.Add(TemplateParseCommands.Info());
        return command;
    }
}
