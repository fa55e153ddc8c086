using System.ComponentModel.DataAnnotations;

namespace AgentHost.Agents.Configuration;

/// <summary>
/// One agent as declared under "Agents:&lt;name&gt;" in appsettings.json: a ChatClientAgent over the local model with
/// its instructions, the kernel functions (and other agents) it may call as tools, generation options and an
/// optional response format.
/// </summary>
public sealed class AgentDefinition
{
    /// <summary>What the agent does (shown by `agenthost agent list`, and to other agents when it is their tool).</summary>
    public string? Description { get; set; }

    /// <summary>The system instructions, inline.</summary>
    public string? Instructions { get; set; }

    /// <summary>A file holding the instructions, relative to the prompts folder (e.g. "Agents/support.md"); used when <see cref="Instructions"/> is empty.</summary>
    public string? InstructionsFile { get; set; }

    /// <summary>Kernel functions usable as tools: a whole plugin ("CustomerService") or one function ("Writing.Proofread").</summary>
    public List<string> Tools { get; set; } = [];

    /// <summary>Other agents this agent may call as tools (each via AsAIFunction).</summary>
    public List<string> Agents { get; set; } = [];

    /// <summary>Tools ("Plugin.Function") that change state or spend money: each call waits for a person's approval (ApprovalRequiredAIFunction).</summary>
    public List<string> ApprovalRequired { get; set; } = [];

    /// <summary>MCP servers whose tools this agent may use (names resolved by an <c>IAgentToolSource</c>, e.g. the MCP client integration).</summary>
    public List<string> McpServers { get; set; } = [];

    /// <summary>Sampling temperature; null = the model's default (Llama:Defaults).</summary>
    [Range(0.0, 5.0)]
    public float? Temperature { get; set; }

    [Range(0.0, 1.0)]
    public float? TopP { get; set; }

    [Range(0, 100_000)]
    public int? TopK { get; set; }

    /// <summary>Most tokens of one model reply.</summary>
    [Range(1, 1_000_000)]
    public int? MaxTokens { get; set; }

    public long? Seed { get; set; }

    /// <summary>auto (default), required (the grammar forces a tool call), or none.</summary>
    [RegularExpression("^(auto|required|none)$", ErrorMessage = "must be auto, required or none")]
    public string? ToolChoice { get; set; }

    /// <summary>text (default), json, or json_schema (with <see cref="ResponseSchema"/> or <see cref="ResponseSchemaFile"/>).</summary>
    [RegularExpression("^(text|json|json_schema)$", ErrorMessage = "must be text, json or json_schema")]
    public string? ResponseFormat { get; set; }

    /// <summary>The JSON schema of the reply (inline JSON) for ResponseFormat json_schema.</summary>
    public string? ResponseSchema { get; set; }

    /// <summary>A file holding the reply's JSON schema, relative to the prompts folder.</summary>
    public string? ResponseSchemaFile { get; set; }

    /// <summary>Name of the schema given to the model with the response format.</summary>
    public string? ResponseSchemaName { get; set; }
}
