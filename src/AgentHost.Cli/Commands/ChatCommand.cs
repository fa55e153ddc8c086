using System.CommandLine;
using AgentHost.Hosting;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace AgentHost.Cli.Commands;

/// <summary>`agenthost chat`: interactive multi-turn chat, streamed, through the host's IChatClient.</summary>
internal static class ChatCommand
{
    public static Command Create()
    {
        var common = new CommonOptions();
        var system = new Option<string?>("--system") { Description = "System prompt" };
        var template = new Option<string?>("--chat-template") { Description = "Chat template for models that carry none (e.g. chatml), or to override the GGUF's" };
        var maxTokens = new Option<int?>("--max-tokens", "-n") { Description = "Most tokens per reply" };
        var temperature = new Option<float?>("--temperature") { Description = "Sampling temperature" };
        var command = new Command("chat", "Chat with the model interactively (empty line or /exit to quit)");
        common.AddTo(command);
        command.Options.Add(system);
        command.Options.Add(template);
        command.Options.Add(maxTokens);
        command.Options.Add(temperature);
        command.SetAction(async (parse, ct) =>
        {
            var resolved = await common.BuildAsync(parse, ct);
            var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { ContentRootPath = AppContext.BaseDirectory, Args = [] });
            builder.Logging.ClearProviders();
            builder.Services.AddLlamaChatClient(builder.Configuration, o =>
            {
                common.Apply(parse, o);
                o.ModelPath = resolved.ModelPath;
                if (parse.GetValue(template) is { } t) o.ChatTemplate = t;
            });
            using var host = builder.Build();
            var client = CliConsole.WithLoadProgress("model", _ => host.Services.GetRequiredService<IChatClient>());
            _ = host.Services.GetRequiredService<AgentHost.Llama.Chat.IChatPromptFormatter>();

            var history = new List<ChatMessage>();
            if (parse.GetValue(system) is { } sys) history.Add(new ChatMessage(ChatRole.System, sys));
            var options = new ChatOptions { MaxOutputTokens = parse.GetValue(maxTokens), Temperature = parse.GetValue(temperature) };
            while (!ct.IsCancellationRequested)
            {
                Console.Error.Write("> ");
                var line = Console.ReadLine();
                if (line is null || line.Length == 0 || line == "/exit") break;
                history.Add(new ChatMessage(ChatRole.User, line));
                var updates = new List<ChatResponseUpdate>();
                await foreach (var update in client.GetStreamingResponseAsync(history, options, ct))
                {
                    Console.Out.Write(update.Text);
                    updates.Add(update);
                }
                Console.Out.WriteLine();
                history.AddMessages(updates);
            }
            return 0;
        });
        return command;
    }
}
