using System.Text.Json;
using AgentHost.Agents.Catalog;
using Microsoft.Agents.AI;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using ModelContextProtocol.Protocol;

namespace AgentHost.Mcp.Server;

/// <summary>
/// The host's agents (Agents:&lt;name&gt;) as MCP tools named <c>agent_&lt;name&gt;</c>, each taking one <c>input</c>
/// string and answering the agent's reply. Each call is a fresh session (an MCP client keeps its own conversation).
/// An agent that stops at a tool needing approval cannot be answered over MCP, so that is a tool error naming the
/// tool; so is any failure, never a protocol error.
/// </summary>
public sealed class AgentToolCatalog(AgentCatalog agents, ILogger<AgentToolCatalog>? logger = null)
{
    /// <summary>The prefix that tells agent tools from kernel tools (<c>Plugin_Function</c>).</summary>
    public const string Prefix = "agent_";

    private static readonly JsonElement InputSchema = JsonDocument.Parse("""
        {"type":"object","properties":{"input":{"type":"string","description":"The message for the agent."}},"required":["input"],"additionalProperties":false}
        """).RootElement.Clone();

    private readonly ILogger _logger = logger ?? (ILogger)NullLogger.Instance;

    /// <summary>One tool per declared agent.</summary>
    public IEnumerable<Tool> ListTools() => agents.Names.Select(name => new Tool
    {
        Name = Prefix + name,
        Description = agents.GetDefinition(name).Description ?? $"The '{name}' agent.",
        InputSchema = InputSchema,
    });

    /// <summary>Whether <paramref name="toolName"/> names one of the agents.</summary>
    public bool Owns(string toolName) =>
        toolName.StartsWith(Prefix, StringComparison.Ordinal) && agents.Contains(toolName[Prefix.Length..]);

    /// <summary>Runs the agent named by <paramref name="toolName"/> on the call's <c>input</c>.</summary>
    public async Task<CallToolResult> CallAsync(string toolName, IDictionary<string, JsonElement>? arguments, CancellationToken cancellationToken)
    {
        var name = toolName[Prefix.Length..];
        if (arguments is null || !arguments.TryGetValue("input", out var input) || input.ValueKind != JsonValueKind.String || string.IsNullOrWhiteSpace(input.GetString()))
            return Error($"Invalid arguments for {toolName}: input: is required (a non-empty string)");
        if (arguments.Keys.FirstOrDefault(k => k != "input") is { } extra)
            return Error($"Invalid arguments for {toolName}: {extra}: is not a parameter of this tool");
        try
        {
            AIAgent agent = agents.Get(name);
            var response = await agent.RunAsync(input.GetString()!, cancellationToken: cancellationToken).ConfigureAwait(false);
            var approval = response.Messages.SelectMany(m => m.Contents).OfType<ToolApprovalRequestContent>().FirstOrDefault();
            if (approval is not null)
                return Error($"Agent '{name}' needs approval to run {(approval.ToolCall as FunctionCallContent)?.Name ?? "a tool"}; approvals are answered in `agenthost agent chat` or over HTTP, not over MCP.");
            return new CallToolResult { Content = [new TextContentBlock { Text = response.Text }] };
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception ex)
        {
            _logger.LogInformation("MCP agent tool {Tool} failed: {Message}", toolName, ex.Message);
            return Error($"{toolName} failed: {ex.Message}");
        }
    }

    private static CallToolResult Error(string message) => new() { Content = [new TextContentBlock { Text = message }], IsError = true };
}
