using System.Net;
using System.Text;
using System.Text.Json;
using AgentHost.Agents;
using AgentHost.Agents.Catalog;
using AgentHost.Agents.Configuration;
using AgentHost.Mcp.Server;
using AgentHost.Mcp.Tests.Support;
using AgentHost.Plugins;
using AgentHost.Server.Limits;
using AgentHost.Server.Security;
using AgentHost.Server.Tests.Support;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.SemanticKernel;

namespace AgentHost.Mcp.Tests;

/// <summary>A loopback server with the AgentHost plugins, serving MCP at /mcp behind the API key.</summary>
public sealed class McpHttpServerFixture : IAsyncLifetime
{
    public LoopbackServer Server { get; private set; } = null!;
    public Uri McpEndpoint => new(Server.BaseAddress, "mcp");

    public async Task InitializeAsync()
    {
        var settings = TestModels.Stories();
        settings["Plugins:CustomerService:DatabasePath"] = Path.Combine(TestAssets.NewTempDir("mcp-http"), "support.db");
        Server = await LoopbackServer.StartAsync(settings,
            services =>
            {
                services.AddAgentHostPlugins();
                services.AddAgentHostAgents(configure: o =>
                {
                    o.Sessions.DatabasePath = Path.Combine(TestAssets.NewTempDir("mcp-http-agents"), "sessions.db");
                    o.Agents["echoer"] = new AgentDefinition { Description = "Answers briefly.", Instructions = "Answer briefly.", MaxTokens = 8, Temperature = 0 };
                });
                services.AddAgentHostMcpServer().WithHttpTransport();
            },
            app => app.MapMcp("/mcp").RejectInvalidJsonText().RequireAgentHostApiKey());
    }

    public async Task DisposeAsync() => await Server.DisposeAsync();
}

/// <summary>
/// The official MCP TypeScript SDK client (<c>@modelcontextprotocol/sdk</c>) lists and calls AgentHost's MCP tools
/// and prompts over Streamable HTTP (/mcp on the server, API key as Bearer) and over stdio (`agenthost mcp`).
/// Tool schemas are the kernel functions' own (annotated) schemas; arguments that fail them, unknown tools and
/// plugin refusals are MCP tool errors (isError), not protocol errors.
/// </summary>
public class McpServerTests(McpHttpServerFixture fixture) : IClassFixture<McpHttpServerFixture>
{
    private LoopbackServer Server => fixture.Server;

    [Fact]
    public async Task TypeScriptClientOverStreamableHttp()
    {
        var (code, stdout, stderr) = await NpmPackages.NodeAsync("mcp-client.mjs", ["http", fixture.McpEndpoint.ToString(), TestModels.ApiKey]);
        Assert.True(code == 0, $"node exited {code}: {stderr}");
        using var document = JsonDocument.Parse(stdout);
        AssertServerAnswers(document.RootElement, Server.App.Services.GetRequiredService<Kernel>(), Server.App.Services.GetRequiredService<AgentCatalog>());
        Assert.Equal(401, document.RootElement.GetProperty("unauthorized").GetProperty("code").GetInt32());
    }

    [Fact]
    public async Task TypeScriptClientOverStdioWithAgentHostMcp()
    {
        var database = Path.Combine(TestAssets.NewTempDir("mcp-stdio"), "support.db");
        var (code, stdout, stderr) = await NpmPackages.NodeAsync("mcp-client.mjs",
            ["stdio", "dotnet", CliPaths.AgentHostDll, "mcp", "--model", TestAssets.Stories260K, "--chat-template", "chatml", "--threads", "2", "--backend", "Cpu"],
            new Dictionary<string, string>
            {
                ["AGENTHOST_Plugins__CustomerService__DatabasePath"] = database,
                ["AGENTHOST_AgentSessions__DatabasePath"] = Path.Combine(Path.GetDirectoryName(database)!, "sessions.db"),
                ["AGENTHOST_Agents__echoer__Description"] = "Answers briefly.",
                ["AGENTHOST_Agents__echoer__Instructions"] = "Answer briefly.",
                ["AGENTHOST_Agents__echoer__MaxTokens"] = "8",
                ["AGENTHOST_Agents__echoer__Temperature"] = "0",
            });
        Assert.True(code == 0, $"node exited {code}: {stderr}");
        using var document = JsonDocument.Parse(stdout);
        Assert.Equal("agenthost", document.RootElement.GetProperty("server").GetProperty("name").GetString());
        // The same tools and schemas as the in-process kernel with the same plugins.
        AssertServerAnswers(document.RootElement, Server.App.Services.GetRequiredService<Kernel>(), Server.App.Services.GetRequiredService<AgentCatalog>());
        Assert.True(File.Exists(database), "the stdio server used the configured SQLite database");
    }

    private static void AssertServerAnswers(JsonElement root, Kernel kernel, AgentCatalog agents)
    {
        var expected = kernel.Plugins.SelectMany(p => p).Select(KernelToolCatalog.ToolName)
            .Concat(agents.Names.Select(n => AgentToolCatalog.Prefix + n)).Order().ToList();
        Assert.Contains("agent_support", expected);
        Assert.Contains("agent_echoer", expected);
        Assert.Contains("CustomerService_LookupOrder", expected);
        Assert.Contains("Writing_Proofread", expected);
        Assert.Contains("Translation_Translate", expected);
        Assert.Contains("Summarization_Summarize", expected);
        Assert.Equal(expected, root.GetProperty("tools").EnumerateArray().Select(t => t.GetString()!).Order().ToList());

        // The input schema is the kernel function's, with the [RegularExpression] carried in as "pattern".
        var schema = root.GetProperty("lookupSchema");
        var own = kernel.Plugins["CustomerService"]["LookupOrder"].JsonSchema;
        Assert.True(JsonElement.DeepEquals(own, schema), $"{own} vs {schema}");
        Assert.True(schema.GetProperty("properties").GetProperty("order_id").TryGetProperty("pattern", out _));

        var valid = root.GetProperty("valid");
        Assert.False(valid.TryGetProperty("protocolError", out _));
        Assert.Contains("ORD-10042", valid.GetProperty("text").GetString());

        foreach (var (name, field) in new[] { ("badPattern", "order_id"), ("missing", "order_id"), ("wrongType", "top"), ("unknownTool", "No_Such_Tool") })
        {
            var result = root.GetProperty(name);
            Assert.False(result.TryGetProperty("protocolError", out var pe), $"{name}: {pe}");
            Assert.True(result.GetProperty("isError").GetBoolean(), $"{name} should be a tool error: {result}");
            Assert.Contains(field, result.GetProperty("text").GetString());
        }
        Assert.Contains("is required", root.GetProperty("missing").GetProperty("text").GetString());

        // The agent ran over the local model and answered; a call without its input is a tool error naming it.
        var agent = root.GetProperty("agent");
        Assert.False(agent.TryGetProperty("protocolError", out var ape), $"agent: {ape}");
        Assert.False(agent.GetProperty("isError").GetBoolean(), agent.ToString());
        Assert.False(string.IsNullOrWhiteSpace(agent.GetProperty("text").GetString()), agent.ToString());
        var agentMissing = root.GetProperty("agentMissing");
        Assert.True(agentMissing.GetProperty("isError").GetBoolean(), agentMissing.ToString());
        Assert.Contains("input", agentMissing.GetProperty("text").GetString());

        var prompts = root.GetProperty("prompts").EnumerateArray().ToDictionary(p => p.GetProperty("name").GetString()!, p => p.GetProperty("args").EnumerateArray().Select(a => a.GetString()).ToList());
        Assert.Contains("Writing_Rewrite", prompts.Keys);
        Assert.Contains("Summarization_Summarize", prompts.Keys);
        Assert.Equal(["text*", "tone*"], prompts["Writing_Rewrite"].Order());

        var messages = root.GetProperty("prompt").EnumerateArray().ToList();
        Assert.Equal(2, messages.Count);
        Assert.All(messages, m => Assert.Equal("user", m.GetProperty("role").GetString()));
        Assert.StartsWith("You rewrite texts in a requested tone.", messages[0].GetProperty("text").GetString());
        var user = messages[1].GetProperty("text").GetString()!;
        Assert.Contains("Tone: formal", user);
        Assert.Contains("hey, the meeting moved to 3 & it's <urgent>", user);
        Assert.Contains("text", root.GetProperty("promptMissing").GetString());
    }

    [Fact]
    public async Task InvalidUnicodeInAnMcpBodyIs400NotA500()
    {
        using var http = Server.CreateHttpClient();
        const string Initialize = """{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"aINVALID","version":"1"}}}""";
        var parts = Initialize.Split("INVALID");
        var rawInvalid = Encoding.UTF8.GetBytes(parts[0]).Concat(new byte[] { 0xFF, 0xFE }).Concat(Encoding.UTF8.GetBytes(parts[1])).ToArray();
        var loneSurrogate = Encoding.UTF8.GetBytes(Initialize.Replace("INVALID", "\\ud800", StringComparison.Ordinal));
        foreach (var body in new[] { rawInvalid, loneSurrogate })
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "mcp") { Content = new ByteArrayContent(body) };
            request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
            request.Headers.Accept.ParseAdd("application/json");
            request.Headers.Accept.ParseAdd("text/event-stream");
            using var response = await http.SendAsync(request);
            var text = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{(int)response.StatusCode}: {text}");
            Assert.Contains("clientInfo.name", text);
        }
        Assert.DoesNotContain(Server.Logs.Entries, e => e.StartsWith("Error", StringComparison.Ordinal));
    }
}
