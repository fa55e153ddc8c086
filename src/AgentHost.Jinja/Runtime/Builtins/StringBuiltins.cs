using System.Text;
using AgentHost.Jinja.Runtime.Values;

namespace AgentHost.Jinja.Runtime.Builtins;

/// <summary>Filters and methods on strings (llama.cpp's value_string_t builtins). Lengths and slices count UTF-8 bytes.</summary>
internal static class StringBuiltins
{
    public static readonly IReadOnlyDictionary<string, BuiltinFn> Table = new Dictionary<string, BuiltinFn>(StringComparer.Ordinal)
    {
        ["default"] = CommonBuiltins.Default,
        ["upper"] = args =>
        {
            args.EnsureVals(ArgSpec.String);
            return new StringValue(args.GetPos(0).AsString().Uppercase());
        },
        ["lower"] = args =>
        {
            args.EnsureVals(ArgSpec.String);
            return new StringValue(args.GetPos(0).AsString().Lowercase());
        },
        ["strip"] = args =>
        {
            if (args.GetPos(0) is not StringValue s) throw new JinjaError("strip() first argument must be a string");
            return new StringValue(StripWith(s, args, left: true, right: true));
        },
        ["rstrip"] = args =>
        {
            args.EnsureVals(ArgSpec.String);
            return new StringValue(StripWith((StringValue)args.GetPos(0), args, left: false, right: true));
        },
        ["lstrip"] = args =>
        {
            args.EnsureVals(ArgSpec.String);
            return new StringValue(StripWith((StringValue)args.GetPos(0), args, left: true, right: false));
        },
        ["title"] = args =>
        {
            args.EnsureVals(ArgSpec.String);
            return new StringValue(args.GetPos(0).AsString().Titlecase());
        },
        ["capitalize"] = args =>
        {
            args.EnsureVals(ArgSpec.String);
            return new StringValue(args.GetPos(0).AsString().Capitalize());
        },
        ["length"] = args =>
        {
            args.EnsureVals(ArgSpec.String);
            return new IntValue(args.GetPos(0).AsString().Length);
        },
        ["startswith"] = args =>
        {
            args.EnsureVals(ArgSpec.String, ArgSpec.String);
            return BoolValue.Of(args.GetPos(0).AsString().Str.StartsWith(args.GetPos(1).AsString().Str, StringComparison.Ordinal));
        },
        ["endswith"] = args =>
        {
            args.EnsureVals(ArgSpec.String, ArgSpec.String);
            return BoolValue.Of(args.GetPos(0).AsString().Str.EndsWith(args.GetPos(1).AsString().Str, StringComparison.Ordinal));
        },
        ["split"] = args => Split(args, fromRight: false),
        ["rsplit"] = args => Split(args, fromRight: true),
        ["replace"] = Replace,
        ["format"] = Format,
        ["int"] = ToInt,
        ["float"] = args =>
        {
            args.EnsureVals(ArgSpec.String);
            var fallback = args.GetKwargOrPos("default", 1);
            var parsed = CNumberParse.StrToD(args.GetPos(0).AsString().Str);
            return new FloatValue(parsed ?? (fallback.IsUndefined ? 0.0 : fallback.AsFloat()));
        },
        ["string"] = args =>
        {
            args.EnsureVals(ArgSpec.String);
            return new StringValue(args.GetPos(0).AsString());
        },
        ["slice"] = Slice,
        ["safe"] = args =>
        {
            args.EnsureVals(ArgSpec.String);
            return args.GetPos(0);
        },
        ["tojson"] = CommonBuiltins.ToJson,
        ["indent"] = Indent,
        ["join"] = _ => throw new JinjaError("NotImplemented: String join builtin not implemented"),
    };

    private static JinjaString StripWith(StringValue input, FuncArgs args, bool left, bool right)
    {
        var chars = args.GetKwargOrPos("chars", 1);
        return input.Value.Strip(left, right, chars.IsUndefined ? null : chars.AsString().Str);
    }

    private static Value Split(FuncArgs args, bool fromRight)
    {
        args.EnsureCount(1, 3);
        if (args.GetPos(0) is not StringValue input)
            throw new JinjaError((fromRight ? "rsplit" : "split") + "() first argument must be a string");
        var str = input.Str;
        // llama.cpp splits on a single space by default, not on runs of whitespace
        var delim = args.Count > 1 ? args.GetPos(1).AsString().Str : " ";
        if (delim.Length == 0) throw new JinjaError("empty separator");
        var maxSplit = args.Count > 2 ? args.GetPos(2).AsInt() : -1;
        var result = new List<Value>();
        while (maxSplit != 0)
        {
            var pos = fromRight ? str.LastIndexOf(delim, StringComparison.Ordinal) : str.IndexOf(delim, StringComparison.Ordinal);
            if (pos < 0) break;
            if (fromRight)
            {
                result.Add(new StringValue(str[(pos + delim.Length)..]));
                str = str[..pos];
            }
            else
            {
                result.Add(new StringValue(str[..pos]));
                str = str[(pos + delim.Length)..];
            }
            --maxSplit;
        }
        result.Add(new StringValue(new JinjaString(str).MarkInputBasedOn(input.Value)));
        if (fromRight) result.Reverse();
        return new ArrayValue(result);
    }

    private static Value Replace(FuncArgs args)
    {
        args.EnsureVals(ArgSpec.String, ArgSpec.String, ArgSpec.String, ArgSpec.Optional);
        var input = args.GetPos(0).AsString();
        var str = input.Str;
        var oldStr = args.GetPos(1).AsString().Str;
        var newStr = args.GetPos(2).AsString().Str;
        var count = args.Count > 3 ? args.GetPos(3).AsInt() : -1;
        if (count > 0) throw new JinjaError("NotImplemented: String replace with count argument not implemented");
        if (oldStr != newStr)
        {
            if (oldStr.Length == 0)
            {
                var sb = new StringBuilder(newStr);
                foreach (var c in str) sb.Append(c).Append(newStr);
                str = sb.ToString();
            }
            else str = str.Replace(oldStr, newStr, StringComparison.Ordinal);
        }
        return new StringValue(new JinjaString(str).MarkInputBasedOn(input));
    }

    private static Value Format(FuncArgs args)
    {
        if (args.GetPos(0) is not StringValue input) throw new JinjaError("format() first argument must be a string");
        var fmtIsInput = input.Value.AllPartsAreInput;
        var str = input.Str;
        var result = new JinjaStringBuilder();
        var literal = new StringBuilder();
        var argIndex = 1;
        for (var i = 0; i < str.Length; i++)
        {
            if (str[i] != '{')
            {
                literal.Append(str[i]);
                continue;
            }
            if (i + 1 >= str.Length || str[i + 1] != '}')
                throw new JinjaError("NotImplemented: format() only supports simple '{}' placeholders");
            ++i;
            if (literal.Length > 0) result.Append(literal.ToString(), fmtIsInput);
            literal.Clear();
            result.Append(args.GetPos(argIndex++).AsString());
        }
        if (literal.Length > 0) result.Append(literal.ToString(), fmtIsInput);
        return new StringValue(result.ToJinjaString());
    }

    private static Value ToInt(FuncArgs args)
    {
        var input = args.GetPos(0);
        var fallback = args.GetKwargOrPos("default", 1);
        var baseArg = args.GetKwargOrPos("base", 2);
        var numberBase = baseArg.IsUndefined ? 10 : (int)baseArg.AsInt();
        if (numberBase != 0 && (numberBase < 2 || numberBase > 36))
            throw new JinjaError("int() base must be 0 or between 2 and 36");
        if (input is not StringValue s) throw new JinjaError("int() first argument must be a string");
        var parsed = CNumberParse.StoI(s.Str, numberBase);
        return new IntValue(parsed ?? (fallback.IsUndefined ? 0 : fallback.AsInt()));
    }

    private static Value Slice(FuncArgs args)
    {
        args.EnsureCount(1, 4);
        args.EnsureVals(ArgSpec.String, ArgSpec.Int, ArgSpec.Optional, ArgSpec.Optional);
        var (start, stop, step) = SliceBounds(args);
        if (step == 0) throw new JinjaError("slice step cannot be zero");
        var input = args.GetPos(0).AsString();
        return new StringValue(new JinjaString(Utf8Slice(input.Str, start, stop, step)).MarkInputBasedOn(input));
    }

    /// <summary>Reads (start, stop, step) from slice arguments 1..3 the way llama.cpp does.</summary>
    public static (long Start, long Stop, long Step) SliceBounds(FuncArgs args)
    {
        var arg0 = args.GetPos(1);
        var arg1 = args.GetPos(2, UndefinedValue.Instance);
        var arg2 = args.GetPos(3, UndefinedValue.Instance);
        return args.Count == 2 ? (arg0.AsInt(), arg1.AsInt(), 1) : (arg0.AsInt(), arg1.AsInt(), arg2.AsInt());
    }

    /// <summary>Slices by UTF-8 byte positions; pure ASCII strings take the fast path.</summary>
    public static string Utf8Slice(string s, long start, long stop, long step)
    {
        if (s.All(char.IsAscii)) return new string(CommonBuiltins.Slice(s.ToCharArray(), start, stop, step).ToArray());
        var bytes = Encoding.UTF8.GetBytes(s);
        return Encoding.UTF8.GetString(CommonBuiltins.Slice(bytes, start, stop, step).ToArray());
    }

    /// <summary>One UTF-8 byte of a string as a string (llama.cpp indexes std::string bytes).</summary>
    public static string? Utf8ByteAt(string s, long index)
    {
        if (s.All(char.IsAscii)) return index >= 0 && index < s.Length ? s[(int)index].ToString() : null;
        var bytes = Encoding.UTF8.GetBytes(s);
        return index >= 0 && index < bytes.Length ? Encoding.UTF8.GetString(bytes, (int)index, 1) : null;
    }

    private static Value Indent(FuncArgs args)
    {
        args.EnsureCount(1, 4);
        var input = args.GetPos(0);
        var width = args.GetKwargOrPos("width", 1);
        var first = args.GetKwargOrPos("first", 2).AsBool();
        var blank = args.GetKwargOrPos("blank", 3).AsBool();
        if (input is not StringValue s) throw new JinjaError("indent() first argument must be a string");
        var indent = width switch
        {
            IntValue w => new string(' ', (int)Math.Clamp(w.AsInt(), 0, 10_000)),
            StringValue ws => ws.Str,
            _ => "    ",
        };
        // Same line walk as llama.cpp (std::getline), including its handling of a leading empty line.
        var text = s.Str;
        var sb = new StringBuilder();
        foreach (var line in GetLines(text))
        {
            if (sb.Length > 0) sb.Append('\n');
            if (sb.Length == 0 ? first : line.Length > 0 || blank) sb.Append(indent);
            sb.Append(line);
        }
        if (text.Length > 0 && text[^1] == '\n')
        {
            sb.Append('\n');
            if (blank) sb.Append(indent);
        }
        return new StringValue(new JinjaString(sb.ToString()).MarkInputBasedOn(s.Value));
    }

    /// <summary>Lines as std::getline yields them: no trailing empty line after a final newline.</summary>
    private static IEnumerable<string> GetLines(string text)
    {
        var start = 0;
        while (start < text.Length)
        {
            var nl = text.IndexOf('\n', start);
            if (nl < 0)
            {
                yield return text[start..];
                yield break;
            }
            yield return text[start..nl];
            start = nl + 1;
        }
    }
}
