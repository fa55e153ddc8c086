using System.CommandLine;
using AgentHost.Hosting;
using AgentHost.Plugins;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;
using Microsoft.SemanticKernel;

namespace WritingAssistant;

/// <summary>The model options every command takes, and the host they build.</summary>
internal sealed class ModelOptions
{
    public Option<string?> Model { get; } = new("--model", "-m") { Description = "GGUF model file (else Llama:ModelPath from appsettings.json or AGENTHOST_Llama__ModelPath)" };
    public Option<string?> ChatTemplate { get; } = new("--chat-template") { Description = "Chat template for models without one, e.g. chatml" };
    public Option<int?> Context { get; } = new("--ctx") { Description = "Context window in tokens" };

    public void AddTo(Command command)
    {
        command.Options.Add(Model);
        command.Options.Add(ChatTemplate);
        command.Options.Add(Context);
    }

    public IHost BuildHost(ParseResult parse)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = [] });
        builder.Configuration.AddEnvironmentVariables("AGENTHOST_");
        // Logs go to stderr so stdout carries only the text (it can be redirected to a file).
        builder.Logging.ClearProviders().AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace)
            .AddFilter<ConsoleLoggerProvider>((category, level) => level >= LogLevel.Error && category?.StartsWith("AgentHost", StringComparison.Ordinal) == true);
        builder.Services.AddLlamaChatClient(builder.Configuration, o =>
        {
            if (parse.GetValue(Model) is { } model) o.ModelPath = model;
            if (parse.GetValue(ChatTemplate) is { } template) o.ChatTemplate = template;
            if (parse.GetValue(Context) is { } ctx) o.ContextSize = ctx;
        });
        builder.Services.AddAgentHostKernel();
        builder.Services.AddAgentHostPlugins(builder.Configuration);
        return builder.Build();
    }

    public static Kernel Kernel(IHost host) => host.Services.GetRequiredService<Kernel>();
}
