using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using AgentHost.Jinja.Runtime.Values;

namespace AgentHost.Jinja.Runtime;

/// <summary>
/// Converts System.Text.Json nodes into template values the way llama.cpp's from_json does:
/// integral JSON numbers become integers, others floats; object key order is kept.
/// </summary>
internal static class JsonValueConverter
{
    public static Value FromJson(JsonNode? node, bool markInput)
    {
        switch (node)
        {
            case null:
                return NoneValue.Instance;
            case JsonArray array:
                return new ArrayValue(array.Select(item => FromJson(item, markInput)).ToList());
            case JsonObject obj:
            {
                var result = new ObjectValue();
                foreach (var (key, value) in obj) result.Set(new StringValue(key), FromJson(value, markInput)); // keys are never marked as input
                return result;
            }
            case JsonValue value:
                return FromJsonValue(value, markInput);
            default:
                throw new ArgumentException($"unsupported JSON node {node.GetType().Name}");
        }
    }

    private static Value FromJsonValue(JsonValue value, bool markInput)
    {
        switch (value.GetValueKind())
        {
            case JsonValueKind.Null:
            case JsonValueKind.Undefined:
                return NoneValue.Instance;
            case JsonValueKind.True:
                return BoolValue.True;
            case JsonValueKind.False:
                return BoolValue.False;
            case JsonValueKind.String:
                return new StringValue(value.GetValue<string>(), markInput);
            case JsonValueKind.Number:
            {
                // nlohmann keeps integers that fit 64 bits as integers; anything with a fraction or exponent is a double
                var raw = value.ToJsonString();
                if (!raw.AsSpan().ContainsAny(".eE") && long.TryParse(raw, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var l))
                    return new IntValue(l);
                return new FloatValue(double.Parse(raw, NumberStyles.Float, CultureInfo.InvariantCulture));
            }
            default:
                throw new ArgumentException($"unsupported JSON value kind {value.GetValueKind()}");
        }
    }
}
