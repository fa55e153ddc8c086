using System.Text.Json.Nodes;
using AgentHost.Grammar;

namespace AgentHost.ChatFormats.Parsing;

/// <summary>One declared parameter of a tool: name, schema, whether required.</summary>
public sealed record ToolParameter(string Name, JsonNode Schema, bool Required);

/// <summary>Reads a tool's top-level parameters from its JSON schema, in declared order.</summary>
public static class ToolParameters
{
    public static IReadOnlyList<ToolParameter> Of(ToolDefinition tool)
    {
        if (tool.Parameters is not JsonObject schema || schema["properties"] is not JsonObject props) return [];
        var required = new HashSet<string>(StringComparer.Ordinal);
        if (schema["required"] is JsonArray req)
        {
            foreach (var r in req)
            {
                if (r?.GetValueKind() == System.Text.Json.JsonValueKind.String) required.Add(r.GetValue<string>());
            }
        }
        return [.. props.Select(kv => new ToolParameter(kv.Key, kv.Value?.DeepClone() ?? new JsonObject(), required.Contains(kv.Key)))];
    }
}
