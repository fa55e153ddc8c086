using System.Globalization;
using System.Text;

namespace AgentHost.Grammar.Tests.Recognizer;

/// <summary>
/// Parses GBNF the way llama.cpp's <c>llama_grammar_parser</c> does (src/llama-grammar.cpp): rule names of
/// <c>[a-zA-Z0-9-]</c>, literals and classes with only the <c>\x \u \U \t \r \n \\ \" \[ \] \-</c> escapes, groups,
/// <c>* + ? {m} {m,} {m,n}</c> rewritten into helper rules, the 2000 repetition threshold, undefined-rule and
/// left-recursion checks. Token syntax (<c>&lt;...&gt;</c>) is rejected since tests have no vocabulary.
/// </summary>
internal sealed class GbnfParser
{
    private const int MaxRepetitionThreshold = 2000;

    private readonly int[] _src;
    private int _pos;
    private readonly Dictionary<string, int> _ids = new(StringComparer.Ordinal);
    private readonly List<List<List<GbnfSymbol>>?> _rules = [];

    private GbnfParser(string text)
    {
        _src = text.EnumerateRunes().Select(r => r.Value).Append(0).ToArray();
    }

    /// <summary>Parses and validates <paramref name="text"/>; <paramref name="root"/> must be defined.</summary>
    public static GbnfGrammar Parse(string text, string root = "root")
    {
        var parser = new GbnfParser(text);
        parser.ParseAll();
        for (var i = 0; i < parser._rules.Count; i++)
        {
            if (parser._rules[i] is null)
                throw new GbnfSyntaxException($"Undefined rule identifier '{parser._ids.First(kv => kv.Value == i).Key}'");
        }
        var grammar = new GbnfGrammar(parser._rules.Select(r => r!).ToList(), parser._ids);
        if (!grammar.Names.ContainsKey(root)) throw new GbnfSyntaxException($"grammar does not contain a '{root}' rule");
        if (grammar.FindLeftRecursion() is { } lr) throw new GbnfSyntaxException($"left recursion detected for nonterminal '{lr}'");
        return grammar;
    }

    private int Cur => _src[_pos];

    private int Peek(int o) => _pos + o < _src.Length ? _src[_pos + o] : 0;

    private static bool IsWordChar(int c) => c is >= 'a' and <= 'z' or >= 'A' and <= 'Z' or >= '0' and <= '9' or '-';

    private string Rest() => new(string.Concat(_src.Skip(_pos).Take(30).TakeWhile(c => c != 0).Select(char.ConvertFromUtf32)));

    private void ParseAll()
    {
        SkipSpace(true);
        while (Cur != 0) ParseRule();
    }

    private void SkipSpace(bool newlineOk)
    {
        while (Cur is ' ' or '\t' or '#' || (newlineOk && Cur is '\r' or '\n'))
        {
            if (Cur == '#') { while (Cur != 0 && Cur is not '\r' and not '\n') _pos++; }
            else _pos++;
        }
    }

    private string ParseName()
    {
        var start = _pos;
        while (IsWordChar(Cur)) _pos++;
        if (_pos == start) throw new GbnfSyntaxException($"expecting name at {Rest()}");
        return string.Concat(_src.Skip(start).Take(_pos - start).Select(char.ConvertFromUtf32));
    }

    private int SymbolId(string name)
    {
        if (!_ids.TryGetValue(name, out var id))
        {
            id = _rules.Count;
            _ids[name] = id;
            _rules.Add(null);
        }
        return id;
    }

    private int NewRule(string baseName)
    {
        var id = _rules.Count;
        _ids[$"{baseName}_{id.ToString(CultureInfo.InvariantCulture)}"] = id;
        _rules.Add(null);
        return id;
    }

    private void ParseRule()
    {
        var name = ParseName();
        SkipSpace(false);
        var id = SymbolId(name);
        if (!(Cur == ':' && Peek(1) == ':' && Peek(2) == '=')) throw new GbnfSyntaxException($"expecting ::= at {Rest()}");
        _pos += 3;
        SkipSpace(true);
        _rules[id] = ParseAlternates(name, nested: false);
        if (Cur == '\r') _pos += Peek(1) == '\n' ? 2 : 1;
        else if (Cur == '\n') _pos++;
        else if (Cur != 0) throw new GbnfSyntaxException($"expecting newline or end at {Rest()}");
        SkipSpace(true);
    }

    private List<List<GbnfSymbol>> ParseAlternates(string ruleName, bool nested)
    {
        var alts = new List<List<GbnfSymbol>> { ParseSequence(ruleName, nested) };
        while (Cur == '|')
        {
            _pos++;
            SkipSpace(true);
            alts.Add(ParseSequence(ruleName, nested));
        }
        return alts;
    }

    private List<GbnfSymbol> ParseSequence(string ruleName, bool nested)
    {
        var seq = new List<GbnfSymbol>();
        var lastSymStart = seq.Count;
        long nPrevRules = 1;

        void Repeat(long min, long max) // max < 0: unbounded
        {
            var noMax = max < 0;
            if (lastSymStart == seq.Count) throw new GbnfSyntaxException($"expecting preceding item to */+/?/{{ at {Rest()}");
            var prev = seq.GetRange(lastSymStart, seq.Count - lastSymStart);
            long totalRules = !noMax && max > 0 ? max : min > 0 ? min : 1;
            if (nPrevRules * totalRules > MaxRepetitionThreshold)
                throw new GbnfSyntaxException("number of rules that are going to be repeated multiplied by the new repetition exceeds sane defaults");
            if (min == 0) seq.RemoveRange(lastSymStart, seq.Count - lastSymStart);
            else for (var i = 1; i < min; i++) seq.AddRange(prev);
            var nOpt = noMax ? 1 : max - min;
            var lastRec = -1;
            for (var i = 0; i < nOpt; i++)
            {
                var recId = NewRule(ruleName);
                var body = new List<GbnfSymbol>(prev);
                if (noMax) body.Add(new GbnfRef(recId));
                else if (i > 0) body.Add(new GbnfRef(lastRec));
                _rules[recId] = [body, []];
                lastRec = recId;
            }
            if (nOpt > 0) seq.Add(new GbnfRef(lastRec));
            nPrevRules *= totalRules;
        }

        while (Cur != 0)
        {
            if (Cur == '"')
            {
                _pos++;
                lastSymStart = seq.Count;
                nPrevRules = 1;
                while (Cur != '"')
                {
                    if (Cur == 0) throw new GbnfSyntaxException("unexpected end of input");
                    var c = ParseChar();
                    seq.Add(new GbnfChar([(c, c)], false));
                }
                _pos++;
                SkipSpace(nested);
            }
            else if (Cur == '[')
            {
                _pos++;
                var negated = false;
                if (Cur == '^') { negated = true; _pos++; }
                lastSymStart = seq.Count;
                nPrevRules = 1;
                var ranges = new List<(int, int)>();
                while (Cur != ']')
                {
                    if (Cur == 0) throw new GbnfSyntaxException("unexpected end of input");
                    var c = ParseChar();
                    if (Cur == '-' && Peek(1) != ']')
                    {
                        if (Peek(1) == 0) throw new GbnfSyntaxException("unexpected end of input");
                        _pos++;
                        var end = ParseChar();
                        ranges.Add((c, end));
                    }
                    else ranges.Add((c, c));
                }
                seq.Add(new GbnfChar(ranges, negated));
                _pos++;
                SkipSpace(nested);
            }
            else if (Cur is '<' or '!')
            {
                throw new GbnfSyntaxException($"token syntax needs a vocabulary at {Rest()}");
            }
            else if (IsWordChar(Cur))
            {
                var name = ParseName();
                SkipSpace(nested);
                lastSymStart = seq.Count;
                nPrevRules = 1;
                seq.Add(new GbnfRef(SymbolId(name)));
            }
            else if (Cur == '(')
            {
                _pos++;
                SkipSpace(true);
                var before = _ids.Count;
                var sub = NewRule(ruleName);
                _rules[sub] = ParseAlternates(ruleName, nested: true);
                nPrevRules = Math.Max(1, _ids.Count - before);
                lastSymStart = seq.Count;
                seq.Add(new GbnfRef(sub));
                if (Cur != ')') throw new GbnfSyntaxException($"expecting ')' at {Rest()}");
                _pos++;
                SkipSpace(nested);
            }
            else if (Cur == '.')
            {
                lastSymStart = seq.Count;
                nPrevRules = 1;
                seq.Add(new GbnfChar([], true));
                _pos++;
                SkipSpace(nested);
            }
            else if (Cur == '*') { _pos++; SkipSpace(nested); Repeat(0, -1); }
            else if (Cur == '+') { _pos++; SkipSpace(nested); Repeat(1, -1); }
            else if (Cur == '?') { _pos++; SkipSpace(nested); Repeat(0, 1); }
            else if (Cur == '{')
            {
                _pos++;
                SkipSpace(nested);
                var min = ParseInt();
                SkipSpace(nested);
                long max;
                if (Cur == '}') { max = min; _pos++; SkipSpace(nested); }
                else if (Cur == ',')
                {
                    _pos++;
                    SkipSpace(nested);
                    max = -1;
                    if (Cur is >= '0' and <= '9') { max = ParseInt(); SkipSpace(nested); }
                    if (Cur != '}') throw new GbnfSyntaxException($"expecting '}}' at {Rest()}");
                    _pos++;
                    SkipSpace(nested);
                }
                else throw new GbnfSyntaxException($"expecting ',' at {Rest()}");
                if (min > MaxRepetitionThreshold) throw new GbnfSyntaxException("number of repetitions exceeds sane defaults");
                if (max > MaxRepetitionThreshold) max = -1;
                Repeat(min, max);
            }
            else break;
        }
        return seq;
    }

    private long ParseInt()
    {
        var start = _pos;
        while (Cur is >= '0' and <= '9') _pos++;
        if (_pos == start) throw new GbnfSyntaxException($"expecting an int at {Rest()}");
        return long.Parse(string.Concat(_src.Skip(start).Take(_pos - start).Select(c => (char)c)), CultureInfo.InvariantCulture);
    }

    private int ParseChar()
    {
        if (Cur == '\\')
        {
            var e = Peek(1);
            _pos += 2;
            switch (e)
            {
                case 'x': return ParseHex(2);
                case 'u': return ParseHex(4);
                case 'U': return ParseHex(8);
                case 't': return '\t';
                case 'r': return '\r';
                case 'n': return '\n';
                case '\\' or '"' or '[' or ']' or '-': return e;
                default: throw new GbnfSyntaxException($"unknown escape at \\{char.ConvertFromUtf32(e)}");
            }
        }
        return _src[_pos++];
    }

    private int ParseHex(int size)
    {
        var sb = new StringBuilder();
        for (var i = 0; i < size; i++)
        {
            var c = Cur;
            if (!Uri.IsHexDigit((char)Math.Min(c, 0xFFFF)) || c > 0x7F) throw new GbnfSyntaxException($"expecting {size} hex chars at {Rest()}");
            sb.Append((char)c);
            _pos++;
        }
        return int.Parse(sb.ToString(), NumberStyles.HexNumber, CultureInfo.InvariantCulture);
    }
}
