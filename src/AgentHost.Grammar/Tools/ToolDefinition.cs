using System.Text.Json;
using System.Text.Json.Nodes;

namespace AgentHost.Grammar;

/// <summary>A function the model may call: its name, description and JSON Schema for the arguments object.</summary>
public sealed record ToolDefinition
{
    /// <summary>Creates a tool; <paramref name="parameters"/> null means "no arguments" (an empty object).</summary>
    public ToolDefinition(string name, string? description = null, JsonNode? parameters = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        Name = name;
        Description = description;
        Parameters = parameters?.DeepClone() ?? new JsonObject { ["type"] = "object", ["properties"] = new JsonObject() };
    }

    /// <summary>Creates a tool from a <see cref="JsonElement"/> schema (e.g. <c>AIFunction.JsonSchema</c>).</summary>
    public ToolDefinition(string name, string? description, JsonElement parameters)
        : this(name, description, JsonSchemaGrammar.ToNode(parameters))
    {
    }

    /// <summary>The function name the model writes.</summary>
    public string Name { get; }

    /// <summary>What the function does (used in prompts).</summary>
    public string? Description { get; }

    /// <summary>JSON Schema of the arguments object.</summary>
    public JsonNode Parameters { get; }
}
