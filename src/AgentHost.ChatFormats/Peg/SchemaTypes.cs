using System.Text.Json;
using System.Text.Json.Nodes;

namespace AgentHost.ChatFormats.Peg;

[Flags]
public enum SchemaType
{
    None = 0,
    String = 1,
    Number = 2,
    Integer = 4,
    Boolean = 8,
    Null = 16,
    Object = 32,
    Array = 64,
    All = String | Number | Integer | Boolean | Null | Object | Array,
}

/// <summary>The JSON types a schema admits (type, type arrays, enum/const values, anyOf/oneOf unions).</summary>
public readonly record struct SchemaTypes(SchemaType Types)
{
    public bool Has(SchemaType t) => (Types & t) != 0;

    public bool IsOnly(SchemaType t) => Types == t;

    public static SchemaTypes Of(JsonNode? schema) => new(Collect(schema, 0));

    public static bool MayBeString(JsonNode? schema) => Of(schema).Has(SchemaType.String);

    private static SchemaType Collect(JsonNode? schema, int depth)
    {
        if (depth > 16 || schema is not JsonObject o) return SchemaType.All;
        var result = SchemaType.None;
        var constrained = false;
        if (o["type"] is JsonNode type)
        {
            constrained = true;
            if (type is JsonArray arr)
            {
                foreach (var t in arr) result |= Named(t?.GetValue<string>());
            }
            else if (type.GetValueKind() == JsonValueKind.String)
            {
                result |= Named(type.GetValue<string>());
            }
            if (o["nullable"] is JsonValue n && n.GetValueKind() == JsonValueKind.True) result |= SchemaType.Null;
        }
        else if (o["enum"] is JsonArray values)
        {
            constrained = true;
            foreach (var v in values) result |= OfValue(v);
        }
        else if (o.ContainsKey("const"))
        {
            constrained = true;
            result |= OfValue(o["const"]);
        }
        foreach (var key in new[] { "anyOf", "oneOf" })
        {
            if (o[key] is JsonArray alts)
            {
                constrained = true;
                foreach (var a in alts) result |= Collect(a, depth + 1);
            }
        }
        if (!constrained)
        {
            if (o.ContainsKey("properties")) return SchemaType.Object;
            if (o.ContainsKey("items")) return SchemaType.Array;
            return SchemaType.All;
        }
        return result;
    }

    private static SchemaType Named(string? name) => name switch
    {
        "string" => SchemaType.String,
        "number" => SchemaType.Number | SchemaType.Integer,
        "integer" => SchemaType.Integer,
        "boolean" => SchemaType.Boolean,
        "null" => SchemaType.Null,
        "object" => SchemaType.Object,
        "array" => SchemaType.Array,
        _ => SchemaType.All,
    };

    private static SchemaType OfValue(JsonNode? v) => v?.GetValueKind() switch
    {
        JsonValueKind.String => SchemaType.String,
        JsonValueKind.Number => SchemaType.Number,
        JsonValueKind.True or JsonValueKind.False => SchemaType.Boolean,
        JsonValueKind.Object => SchemaType.Object,
        JsonValueKind.Array => SchemaType.Array,
        _ => SchemaType.Null,
    };
}
