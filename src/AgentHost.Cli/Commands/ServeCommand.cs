using System.CommandLine;
using AgentHost.Agents;
using AgentHost.Cluster;
using AgentHost.Cluster.Nodes;
using AgentHost.Hosting;
using AgentHost.Llama.Engine;
using AgentHost.Mcp.Client;
using AgentHost.Mcp.Server;
using AgentHost.Plugins;
using AgentHost.Server;
using AgentHost.Server.Limits;
using AgentHost.Server.Security;
using AgentHost.Server.WebUi;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace AgentHost.Cli.Commands;

/// <summary>
/// `agenthost serve`: the OpenAI-compatible HTTP API (chat completions, the Responses and Conversations API over
/// AgentHost agents, embeddings, models, kernel functions, health, metrics), Anthropic's Messages API (/v1/messages), an MCP server (Streamable HTTP at /mcp) and the web UI at / over one model, on loopback unless --urls says otherwise. Logs go to stderr; Ctrl+C stops it.
/// </summary>
internal static class ServeCommand
{
    public static Command Create()
    {
        var common = new CommonOptions();
        var template = new Option<string?>("--chat-template") { Description = "Chat template for models that carry none, or to override the GGUF's: a built-in name (e.g. chatml) or Jinja text" };
        var templateFile = new Option<FileInfo?>("--chat-template-file") { Description = "Read the chat template (Jinja) from this file" };
        var alias = new Option<string[]>("--alias") { Description = "Another name the model answers to (Server:ModelAliases; repeatable)", AllowMultipleArgumentsPerToken = false };
        var urls = new Option<string?>("--urls") { Description = "Addresses to listen on, ';'-separated (Server:Urls; default http://127.0.0.1:8080)" };
        var parallel = new Option<int?>("--parallel", "-np") { Description = "Requests decoded together, each with its own --ctx (Llama:Parallel)" };
        var apiKey = new Option<string?>("--api-key") { Description = "Require 'Authorization: Bearer KEY' (or 'x-api-key: KEY') on every endpoint but /health, /mcp included (Server:ApiKey)" };
        var cluster = new Option<bool>("--cluster") { Description = "Join the Orleans cluster configured under Cluster:* (Provider, ConnectionString, SessionStore, ...): chat turns with an X-Conversation-Id header run on the node whose KV cache holds the conversation; every other model call (OpenAI, Anthropic, Responses, agents) on the node sharing the longest prefix of its prompt" };
        var siloPort = new Option<int?>("--silo-port") { Description = "With --cluster: the node's silo-to-silo port (Cluster:SiloPort)" };
        var gatewayPort = new Option<int?>("--gateway-port") { Description = "With --cluster: the node's Orleans client gateway port (Cluster:GatewayPort)" };
        var command = new Command("serve", "Serve the model over OpenAI- and Anthropic-compatible HTTP APIs (/v1/chat/completions, /v1/responses, /v1/conversations, /v1/messages, /v1/embeddings, /v1/models, /health, /metrics) and MCP (/mcp)");
        common.AddTo(command);
        command.Options.Add(template);
        command.Options.Add(templateFile);
        command.Options.Add(alias);
        command.Options.Add(urls);
        command.Options.Add(parallel);
        command.Options.Add(apiKey);
        command.Options.Add(cluster);
        command.Options.Add(siloPort);
        command.Options.Add(gatewayPort);
        command.SetAction(async (parse, ct) =>
        {
            var resolved = await common.BuildAsync(parse, ct);
            var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory, Args = [] });
            // The same sources as the other commands: appsettings.json next to the app and in the current folder, AGENTHOST_ variables.
            builder.Configuration.AddConfiguration(CommonOptions.LoadConfiguration());
            var overrides = new Dictionary<string, string?>();
            if (parse.GetValue(urls) is { } u) overrides["Server:Urls"] = u;
            if (parse.GetValue(apiKey) is { } key) overrides["Server:ApiKey"] = key;
            var aliases = parse.GetValue(alias) ?? [];
            for (var i = 0; i < aliases.Length; i++) overrides[$"Server:ModelAliases:{i}"] = aliases[i];
            var clustered = parse.GetValue(cluster);
            if (!clustered && (parse.GetValue(siloPort) is not null || parse.GetValue(gatewayPort) is not null))
                throw new ArgumentException("--silo-port and --gateway-port need --cluster.");
            if (parse.GetValue(siloPort) is { } sp) overrides["Cluster:SiloPort"] = sp.ToString(System.Globalization.CultureInfo.InvariantCulture);
            if (parse.GetValue(gatewayPort) is { } gp) overrides["Cluster:GatewayPort"] = gp.ToString(System.Globalization.CultureInfo.InvariantCulture);
            if (parse.GetValue(template) is not null && parse.GetValue(templateFile) is not null)
                throw new ArgumentException("Give --chat-template or --chat-template-file, not both.");
            var templateText = parse.GetValue(templateFile) is { } file
                ? File.Exists(file.FullName) ? await File.ReadAllTextAsync(file.FullName, ct) : throw new FileNotFoundException($"--chat-template-file: {file.FullName} does not exist.", file.FullName)
                : parse.GetValue(template);
            builder.Configuration.AddInMemoryCollection(overrides);
            // stdout stays free for results; a server's log is for the person watching it.
            builder.Logging.ClearProviders();
            builder.Logging.AddSimpleConsole(o => o.SingleLine = true);
            builder.Logging.AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
            // One line per request is ASP.NET Core's Information level; keep the log to what matters.
            builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
            // A start-up failure (bad template, bad model) is reported once, as one line, by Program; not as a stack trace too.
            builder.Logging.AddFilter("Microsoft.Extensions.Hosting.Internal.Host", LogLevel.Critical);

            builder.Services.AddLlamaChatClient(builder.Configuration, o =>
            {
                common.Apply(parse, o);
                o.ModelPath = resolved.ModelPath;
                if (templateText is not null) o.ChatTemplate = templateText;
                if (parse.GetValue(parallel) is { } n) o.Parallel = n;
            });
            builder.Services.AddAgentHostKernel();
            builder.Services.AddAgentHostPlugins(builder.Configuration);
            // The agents (Agents:<name>) are MCP tools as well, and may use the MCP servers' tools (McpServers).
            builder.Services.AddAgentHostAgents(builder.Configuration);
            // Tools of the configured Mcp:Servers join the kernel; the kernel's plugins are served at /mcp.
            builder.Services.AddAgentHostMcpClients(builder.Configuration);
            builder.Services.AddAgentHostMcpServer().WithHttpTransport();
            builder.Services.AddAgentHostServer(builder.Configuration);
            // The Responses API: AgentHost agents (agent:NAME) and the raw model, state in the agent session database.
            builder.Services.AddAgentHostResponses(builder.Configuration);
            // A cluster node is also an Orleans silo (Cluster:*, validated here: a bad key stops the start naming it).
            if (clustered)
            {
                builder.Logging.AddFilter("Orleans", LogLevel.Warning);
                builder.AddAgentHostCluster();
            }

            await using var app = builder.Build();
            app.MapAgentHostOpenAi();
            app.MapAgentHostResponses();
            app.MapAgentHostAnthropic();
            app.MapMcp("/mcp").RejectInvalidJsonText().RequireAgentHostApiKey();
            // The browser UI at / (Server:WebUi=false turns it off).
            app.MapAgentHostWebUi();
            if (clustered) app.MapAgentHostCluster();
            await app.StartAsync(ct);
            var engine = app.Services.GetRequiredService<LlamaEngine>();
            var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
            var node = clustered ? $" as cluster node {app.Services.GetRequiredService<LocalNode>().Name}" : "";
            Console.Error.WriteLine($"agenthost: serving {engine.ModelId} ({engine.SlotCount} slots x {engine.ContextSize} tokens) on {string.Join(", ", addresses)}{node}; Ctrl+C stops");
            await app.WaitForShutdownAsync(ct);
            return 0;
        });
        return command;
    }
}
