using System.CommandLine;
using System.Text;
using AgentHost.Hosting;
using AgentHost.Plugins;
using AgentHost.Plugins.CustomerService;
using AgentHost.Plugins.Running;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.SemanticKernel;
using Microsoft.SemanticKernel.ChatCompletion;

namespace AgentHost.Cli.Commands;

/// <summary>
/// `agenthost chat`: interactive multi-turn chat, streamed. With --plugins the model may call the named kernel
/// functions (SK auto-invocation); each call and its result are shown on stderr as they happen.
/// </summary>
internal static class ChatCommand
{
    public enum ToolChoice { Auto, Required, None }

    public static Command Create()
    {
        var common = new CommonOptions();
        var system = new Option<string?>("--system") { Description = "System prompt" };
        var template = new Option<string?>("--chat-template") { Description = "Chat template for models that carry none (e.g. chatml), or to override the GGUF's" };
        var maxTokens = new Option<int?>("--max-tokens", "-n") { Description = "Most tokens per reply" };
        var temperature = new Option<float?>("--temperature") { Description = "Sampling temperature" };
        var seed = new Option<long?>("--seed") { Description = "Sampling seed" };
        var plugins = new Option<string[]>("--plugins", "-p")
        {
            Description = "Kernel functions the model may call: all, a plugin (CustomerService, Writing, Translation, Summarization) or Plugin.Function; comma-separated or repeated",
        };
        var toolChoice = new Option<ToolChoice>("--tool-choice") { Description = "Auto (the model decides), Required (a call on the first step of each turn) or None", DefaultValueFactory = _ => ToolChoice.Auto };
        var customer = new Option<string?>("--customer") { Description = "Customer id the CustomerService tools act for" };
        var command = new Command("chat", "Chat with the model interactively (empty line or /exit to quit)");
        common.AddTo(command);
        foreach (var o in new Option[] { system, template, maxTokens, temperature, seed, plugins, toolChoice, customer }) command.Options.Add(o);
        command.SetAction(async (parse, ct) =>
        {
            var resolved = await common.BuildAsync(parse, ct);
            var toolNames = parse.GetValue(plugins) ?? [];
            var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { ContentRootPath = AppContext.BaseDirectory, Args = [] });
            builder.Configuration.AddJsonFile(Path.Combine(Directory.GetCurrentDirectory(), "appsettings.json"), optional: true).AddEnvironmentVariables("AGENTHOST_");
            builder.Logging.ClearProviders();
            builder.Services.AddLlamaChatClient(builder.Configuration, o =>
            {
                common.Apply(parse, o);
                o.ModelPath = resolved.ModelPath;
                if (parse.GetValue(template) is { } t) o.ChatTemplate = t;
            });
            builder.Services.AddAgentHostKernel();
            if (toolNames.Length > 0) builder.Services.AddAgentHostPlugins(builder.Configuration);
            using var host = builder.Build();

            // Tool names are checked before the model loads, so a typo fails fast.
            var kernel = host.Services.GetRequiredService<Kernel>();
            var tools = KernelFunctionRunner.Select(kernel, toolNames);
            if (parse.GetValue(customer) is { } customerId) kernel = CustomerContext.For(kernel, customerId);
            // Outermost, so it shows what the model reads back (after the tool-error filter turned a failure into a message).
            kernel.AutoFunctionInvocationFilters.Insert(0, new ToolCallDisplayFilter(Console.Error));
            CliConsole.WithLoadProgress("model", _ => host.Services.GetRequiredService<IChatClient>());
            _ = host.Services.GetRequiredService<AgentHost.Llama.Chat.IChatPromptFormatter>(); // a template error shows before the first prompt
            var chat = kernel.GetRequiredService<IChatCompletionService>();

            var extension = new Dictionary<string, object>();
            if (parse.GetValue(maxTokens) is { } n) extension["max_tokens"] = n;
            if (parse.GetValue(temperature) is { } temp) extension["temperature"] = temp;
            if (parse.GetValue(seed) is { } s) extension["seed"] = s;
            var noParallel = new FunctionChoiceBehaviorOptions { AllowParallelCalls = false };
            var settings = new PromptExecutionSettings
            {
                ExtensionData = extension,
                FunctionChoiceBehavior = tools.Count == 0 ? null : parse.GetValue(toolChoice) switch
                {
                    ToolChoice.Required => FunctionChoiceBehavior.Required(tools, options: noParallel),
                    ToolChoice.None => FunctionChoiceBehavior.None(tools),
                    _ => FunctionChoiceBehavior.Auto(tools, options: noParallel),
                },
            };

            var history = new ChatHistory();
            if (parse.GetValue(system) is { } sys) history.AddSystemMessage(sys);
            while (!ct.IsCancellationRequested)
            {
                Console.Error.Write("> ");
                var line = Console.ReadLine();
                if (line is null || line.Length == 0 || line == "/exit") break;
                history.AddUserMessage(line);
                var reply = new StringBuilder();
                // SK adds the turn's tool calls and results to the history itself; the text is ours to keep.
                await foreach (var update in chat.GetStreamingChatMessageContentsAsync(history, settings, kernel, ct))
                {
                    Console.Out.Write(update.Content);
                    reply.Append(update.Content);
                }
                Console.Out.WriteLine();
                history.AddAssistantMessage(reply.ToString());
            }
            return 0;
        });
        return command;
    }
}
