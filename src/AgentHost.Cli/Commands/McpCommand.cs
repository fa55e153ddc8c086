using System.CommandLine;
using AgentHost.Agents;
using AgentHost.Hosting;
using AgentHost.Mcp.Client;
using AgentHost.Mcp.Server;
using AgentHost.Plugins;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace AgentHost.Cli.Commands;

/// <summary>
/// `agenthost mcp`: an MCP server on stdin/stdout for desktop MCP clients: the kernel plugins as tools (their
/// annotated schemas), the prompt functions as prompts, and the tools of the configured Mcp:Servers. stdout
/// carries only JSON-RPC; logs go to stderr. The model loads on the first call that needs it.
/// </summary>
internal static class McpCommand
{
    public static Command Create()
    {
        var common = new CommonOptions();
        var template = new Option<string?>("--chat-template") { Description = "Chat template for models that carry none (e.g. chatml), or to override the GGUF's" };
        var command = new Command("mcp", "Serve the kernel plugins and prompts as an MCP server over stdio (for desktop MCP clients)");
        common.AddTo(command);
        command.Options.Add(template);
        command.SetAction(async (parse, ct) =>
        {
            var resolved = await common.BuildAsync(parse, ct);
            var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { ContentRootPath = AppContext.BaseDirectory, Args = [] });
            builder.Configuration.AddConfiguration(CommonOptions.LoadConfiguration());
            // stdout is the protocol channel: every log line goes to stderr.
            builder.Logging.ClearProviders();
            builder.Logging.AddSimpleConsole(o => o.SingleLine = true);
            builder.Logging.AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
            builder.Logging.SetMinimumLevel(LogLevel.Warning);
            builder.Logging.AddFilter("AgentHost.Mcp", LogLevel.Information);

            builder.Services.AddLlamaChatClient(builder.Configuration, o =>
            {
                common.Apply(parse, o);
                o.ModelPath = resolved.ModelPath;
                if (parse.GetValue(template) is { } t) o.ChatTemplate = t;
            });
            builder.Services.AddAgentHostKernel();
            builder.Services.AddAgentHostPlugins(builder.Configuration);
            // The agents (Agents:<name>) are MCP tools as well, and may use the MCP servers' tools (McpServers).
            builder.Services.AddAgentHostAgents(builder.Configuration);
            builder.Services.AddAgentHostMcpClients(builder.Configuration);
            builder.Services.AddAgentHostMcpServer().WithStdioServerTransport();
            using var host = builder.Build();
            await host.RunAsync(ct);
            return 0;
        });
        return command;
    }
}
