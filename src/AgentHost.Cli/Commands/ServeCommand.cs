using System.CommandLine;
using AgentHost.Hosting;
using AgentHost.Llama.Engine;
using AgentHost.Mcp.Client;
using AgentHost.Mcp.Server;
using AgentHost.Plugins;
using AgentHost.Server;
using AgentHost.Server.Limits;
using AgentHost.Server.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace AgentHost.Cli.Commands;

/// <summary>
/// `agenthost serve`: the OpenAI-compatible HTTP API (chat completions, embeddings, models, kernel functions,
/// health, metrics), Anthropic's Messages API (/v1/messages) and an MCP server (Streamable HTTP at /mcp) over one model, on loopback unless --urls says otherwise. Logs go to stderr; Ctrl+C stops it.
/// </summary>
internal static class ServeCommand
{
    public static Command Create()
    {
        var common = new CommonOptions();
        var template = new Option<string?>("--chat-template") { Description = "Chat template for models that carry none (e.g. chatml), or to override the GGUF's" };
        var urls = new Option<string?>("--urls") { Description = "Addresses to listen on, ';'-separated (Server:Urls; default http://127.0.0.1:8080)" };
        var parallel = new Option<int?>("--parallel", "-np") { Description = "Requests decoded together, each with its own --ctx (Llama:Parallel)" };
        var apiKey = new Option<string?>("--api-key") { Description = "Require 'Authorization: Bearer KEY' (or 'x-api-key: KEY') on every endpoint but /health, /mcp included (Server:ApiKey)" };
        var command = new Command("serve", "Serve the model over OpenAI- and Anthropic-compatible HTTP APIs (/v1/chat/completions, /v1/messages, /v1/embeddings, /v1/models, /health, /metrics) and MCP (/mcp)");
        common.AddTo(command);
        command.Options.Add(template);
        command.Options.Add(urls);
        command.Options.Add(parallel);
        command.Options.Add(apiKey);
        command.SetAction(async (parse, ct) =>
        {
            var resolved = await common.BuildAsync(parse, ct);
            var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory, Args = [] });
            // The same sources as the other commands: appsettings.json next to the app and in the current folder, AGENTHOST_ variables.
            builder.Configuration.AddConfiguration(CommonOptions.LoadConfiguration());
            var overrides = new Dictionary<string, string?>();
            if (parse.GetValue(urls) is { } u) overrides["Server:Urls"] = u;
            if (parse.GetValue(apiKey) is { } key) overrides["Server:ApiKey"] = key;
            builder.Configuration.AddInMemoryCollection(overrides);
            // stdout stays free for results; a server's log is for the person watching it.
            builder.Logging.ClearProviders();
            builder.Logging.AddSimpleConsole(o => o.SingleLine = true);
            builder.Logging.AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
            // One line per request is ASP.NET Core's Information level; keep the log to what matters.
            builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);

            builder.Services.AddLlamaChatClient(builder.Configuration, o =>
            {
                common.Apply(parse, o);
                o.ModelPath = resolved.ModelPath;
                if (parse.GetValue(template) is { } t) o.ChatTemplate = t;
                if (parse.GetValue(parallel) is { } n) o.Parallel = n;
            });
            builder.Services.AddAgentHostKernel();
            builder.Services.AddAgentHostPlugins(builder.Configuration);
            // Tools of the configured Mcp:Servers join the kernel; the kernel's plugins are served at /mcp.
            builder.Services.AddAgentHostMcpClients(builder.Configuration);
            builder.Services.AddAgentHostMcpServer().WithHttpTransport();
            builder.Services.AddAgentHostServer(builder.Configuration);

            await using var app = builder.Build();
            app.MapAgentHostOpenAi();
            app.MapAgentHostAnthropic();
            app.MapMcp("/mcp").RejectInvalidJsonText().RequireAgentHostApiKey();
            await app.StartAsync(ct);
            var engine = app.Services.GetRequiredService<LlamaEngine>();
            var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
            Console.Error.WriteLine($"agenthost: serving {engine.ModelId} ({engine.SlotCount} slots x {engine.ContextSize} tokens) on {string.Join(", ", addresses)}; Ctrl+C stops");
            await app.WaitForShutdownAsync(ct);
            return 0;
        });
        return command;
    }
}
