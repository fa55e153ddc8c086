using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using AgentHost.Agents;
using AgentHost.Hosting;
using AgentHost.Mcp.Client;
using AgentHost.Mcp.Tests.Support;
using AgentHost.Server.Tests.Support;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.SemanticKernel;
using Microsoft.SemanticKernel.ChatCompletion;
using SkFunctionCallContent = Microsoft.SemanticKernel.FunctionCallContent;
using SkFunctionResultContent = Microsoft.SemanticKernel.FunctionResultContent;

namespace AgentHost.Mcp.Tests;

/// <summary>
/// A host with the synthetic Qwen model, the kernel, and three configured MCP servers: the reference
/// <c>@modelcontextprotocol/server-everything</c> over stdio ("everything"), a copy of it the tests kill ("flaky"),
/// and a command that does not exist ("broken").
/// </summary>
public sealed class McpClientHostFixture : IAsyncLifetime
{
    public IHost Host { get; private set; } = null!;
    public CapturingLoggerProvider Logs { get; } = new();
    public string PidFile { get; } = Path.Combine(TestAssets.NewTempDir("mcp-flaky"), "server.pid");

    public McpClientRegistry Registry => Host.Services.GetRequiredService<McpClientRegistry>();

    public async Task InitializeAsync()
    {
        var everything = await CliPaths.EverythingServerAsync();
        var settings = TestModels.Qwen();
        settings.Remove("Server:ApiKey");
        settings["Llama:Defaults:Temperature"] = "0";
        settings["Mcp:ReconnectSeconds"] = "3";
        settings["Mcp:HealthCheckSeconds"] = "2";
        settings["Mcp:Servers:everything:Command"] = "node";
        settings["Mcp:Servers:everything:Args:0"] = everything;
        settings["Mcp:Servers:everything:Args:1"] = "stdio";
        settings["Mcp:Servers:flaky:Command"] = "sh";
        settings["Mcp:Servers:flaky:Args:0"] = "-c";
        settings["Mcp:Servers:flaky:Args:1"] = $"echo $$ > '{PidFile}'; exec node '{everything}' stdio";
        settings["Mcp:Servers:broken:Command"] = "agenthost-test-no-such-command";
        // An agent whose only tools are the reference server's (Agents:<name>:McpServers), under required tool choice.
        settings["AgentSessions:DatabasePath"] = Path.Combine(TestAssets.NewTempDir("mcp-agents"), "sessions.db");
        settings["Plugins:CustomerService:DatabasePath"] = Path.Combine(TestAssets.NewTempDir("mcp-agents-support"), "support.db");
        settings["Agents:mcp-user:Instructions"] = "Use the tools to answer.";
        settings["Agents:mcp-user:McpServers:0"] = "everything";
        settings["Agents:mcp-user:ToolChoice"] = "required";
        settings["Agents:mcp-user:Temperature"] = "1";
        settings["Agents:mcp-user:Seed"] = "5";
        settings["Agents:mcp-user:MaxTokens"] = "400";

        var builder = Microsoft.Extensions.Hosting.Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = [], ContentRootPath = AppContext.BaseDirectory });
        builder.Configuration.Sources.Clear();
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Logging.ClearProviders();
        builder.Logging.AddProvider(Logs);
        builder.Services.AddLlamaChatClient(builder.Configuration);
        builder.Services.AddAgentHostKernel();
        builder.Services.AddAgentHostMcpClients(builder.Configuration);
        builder.Services.AddAgentHostAgents(builder.Configuration);
        Host = builder.Build();
        await Host.StartAsync();
        await Registry.GetConnection("everything").WaitForConnectionAsync(TimeSpan.FromMinutes(2));
        await Registry.GetConnection("flaky").WaitForConnectionAsync(TimeSpan.FromMinutes(2));
    }

    public async Task DisposeAsync()
    {
        await Host.StopAsync();
        Host.Dispose();
    }
}

/// <summary>
/// Configured MCP servers' tools in AgentHost's kernel: the reference server's tool is called by the kernel under
/// required tool choice on a synthetic model (the grammar makes the call well-formed), the tools are also
/// AIFunctions for agents, and a server that cannot start or dies is a logged error while the host keeps working —
/// its tools come back when it does.
/// </summary>
public class McpClientTests(McpClientHostFixture fixture) : IClassFixture<McpClientHostFixture>
{
    private Kernel Kernel => fixture.Host.Services.GetRequiredService<Kernel>();

    [Fact]
    public async Task KernelCallsTheReferenceServersToolUnderRequiredToolChoice()
    {
        var plugin = Kernel.Plugins["everything"];
        Assert.True(plugin.TryGetFunction("get_sum", out var getSum), string.Join(", ", plugin.Select(f => f.Name)));
        Assert.True(plugin.TryGetFunction("echo", out _));

        var history = new ChatHistory();
        history.AddUserMessage("What is 2 plus 3?");
        var settings = new PromptExecutionSettings
        {
            FunctionChoiceBehavior = FunctionChoiceBehavior.Required([getSum!], options: new FunctionChoiceBehaviorOptions { AllowParallelCalls = false }),
            // Seeded sampling and room for the call, as the kernel tool tests use: with greedy decoding and 60 tokens the
            // random-weight model's call ran past the limit (and a cut-off call is dropped).
            ExtensionData = new Dictionary<string, object> { ["temperature"] = 1.0, ["seed"] = 5, ["max_tokens"] = 200 },
        };
        var reply = await Kernel.GetRequiredService<IChatCompletionService>().GetChatMessageContentAsync(history, settings, Kernel);

        var call = history.SelectMany(m => m.Items).OfType<SkFunctionCallContent>().FirstOrDefault()
            ?? throw new Xunit.Sdk.XunitException("no call: " + string.Join(" | ", history.Select(m => $"{m.Role}: {string.Join(",", m.Items.Select(i => i.GetType().Name + ":" + i))}")) + " reply: " + reply + " // " + string.Join(",", reply.Items.Select(i => i.GetType().Name)));
        // SK names a plugin function in a call Plugin_Function.
        Assert.Equal("everything_get_sum", call.PluginName is null ? call.FunctionName : $"{call.PluginName}_{call.FunctionName}");
        var a = double.Parse(call.Arguments!["a"]!.ToString()!, CultureInfo.InvariantCulture);
        var b = double.Parse(call.Arguments!["b"]!.ToString()!, CultureInfo.InvariantCulture);
        var result = history.SelectMany(m => m.Items).OfType<SkFunctionResultContent>().First(r => r.CallId == call.Id);
        var text = result.Result?.ToString() ?? "";
        // The reference server computed it: "The sum of A and B is C."
        var match = Regex.Match(text, @"The sum of (\S+) and (\S+) is ([^.\s""]+(?:\.\d+)?)");
        Assert.True(match.Success, text);
        Assert.Equal(a + b, double.Parse(match.Groups[3].Value, CultureInfo.InvariantCulture), 6);
    }

    [Fact]
    public async Task ToolsAreAIFunctionsForAgents()
    {
        var tools = fixture.Registry.GetTools("everything");
        var echo = Assert.Single(tools, t => t.Name == "echo");
        Assert.Equal("object", echo.JsonSchema.GetProperty("type").GetString());
        var result = await echo.InvokeAsync(new AIFunctionArguments { ["message"] = "hello agents" });
        Assert.Contains("Echo: hello agents", JsonSerializer.Serialize(result));
        Assert.Equal(tools.Count + fixture.Registry.GetTools("flaky").Count, fixture.Registry.GetTools(["everything", "flaky"]).Count);
        Assert.Throws<KeyNotFoundException>(() => fixture.Registry.GetTools("nope"));
    }

    [Fact]
    public async Task AnAgentCallsTheReferenceServersToolsNamedInItsMcpServers()
    {
        var serverTools = fixture.Registry.GetTools("everything").Select(t => t.Name).ToHashSet();
        var agent = fixture.Host.Services.GetAgent("mcp-user");
        var response = await agent.RunAsync("Echo the word hello.");

        var contents = response.Messages.SelectMany(m => m.Contents).ToList();
        var call = contents.OfType<Microsoft.Extensions.AI.FunctionCallContent>().FirstOrDefault()
            ?? throw new Xunit.Sdk.XunitException("no call: " + string.Join(" | ", response.Messages.Select(m => $"{m.Role}: {string.Join(",", m.Contents.Select(c => c.GetType().Name + ":" + c))}")));
        // The grammar only admits the reference server's tools, with arguments its schemas accept.
        Assert.Contains(call.Name, serverTools);
        var result = contents.OfType<Microsoft.Extensions.AI.FunctionResultContent>().Single(r => r.CallId == call.CallId);
        Assert.Null(result.Exception);
        var text = JsonSerializer.Serialize(result.Result);
        Assert.False(string.IsNullOrWhiteSpace(text), "empty result");
        Assert.DoesNotContain("not found", text, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void AServerThatCannotStartIsALoggedErrorAndAnEmptyPlugin()
    {
        Assert.NotEqual(McpServerState.Connected, fixture.Registry.GetConnection("broken").State);
        Assert.Contains(fixture.Logs.Entries, e => e.Contains("MCP server broken", StringComparison.Ordinal) && e.Contains("failed to start", StringComparison.Ordinal));
        Assert.Empty(Kernel.Plugins["broken"]);
        // The others are unaffected.
        Assert.NotEmpty(Kernel.Plugins["everything"]);
    }

    [Fact]
    public async Task AServerThatDiesIsWithdrawnAndComesBack()
    {
        var connection = fixture.Registry.GetConnection("flaky");
        await connection.WaitForConnectionAsync(TimeSpan.FromMinutes(1));
        Assert.NotEmpty(Kernel.Plugins["flaky"]);
        var pid = int.Parse((await File.ReadAllTextAsync(fixture.PidFile)).Trim(), CultureInfo.InvariantCulture);
        using (var process = Process.GetProcessById(pid)) process.Kill();

        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (connection.State == McpServerState.Connected && DateTime.UtcNow < deadline) await Task.Delay(50);
        Assert.NotEqual(McpServerState.Connected, connection.State);
        Assert.Empty(Kernel.Plugins["flaky"]);
        Assert.Contains(fixture.Logs.Entries, e => e.Contains("MCP server flaky", StringComparison.Ordinal) && e.Contains("stopped", StringComparison.Ordinal));

        await connection.WaitForConnectionAsync(TimeSpan.FromMinutes(1));
        var newPid = int.Parse((await File.ReadAllTextAsync(fixture.PidFile)).Trim(), CultureInfo.InvariantCulture);
        Assert.NotEqual(pid, newPid);
        var echo = Kernel.Plugins["flaky"]["echo"];
        var result = await Kernel.InvokeAsync(echo, new KernelArguments { ["message"] = "back again" });
        Assert.Contains("Echo: back again", result.ToString());
    }
}
