using System.Globalization;

namespace AgentHost.Grammar;

/// <summary>Raised by <see cref="RegexPatternParser"/> for regex features with no grammar equivalent.</summary>
internal sealed class RegexUnsupportedException(string message) : Exception(message);

/// <summary>
/// Parses the regular-expression subset that maps onto GBNF: literals, escapes (<c>\d \w \s</c> and negations,
/// <c>\n \t \xHH \uHHHH</c>, escaped punctuation), classes, <c>.</c>, groups (capturing, <c>(?:</c>, named),
/// alternation, quantifiers (<c>* + ? {n} {n,} {n,m}</c>, lazy forms) and <c>^</c>/<c>$</c>.
/// Lookarounds, backreferences, word boundaries, inline flags and Unicode categories are rejected.
/// </summary>
internal sealed class RegexPatternParser
{
    private readonly int[] _cp;
    private int _pos;

    private RegexPatternParser(string pattern)
    {
        _cp = pattern.EnumerateRunes().Select(r => r.Value).ToArray();
    }

    /// <summary>Parses <paramref name="pattern"/> (already checked to be a valid .NET regex).</summary>
    public static RegexAlternation Parse(string pattern)
    {
        var parser = new RegexPatternParser(pattern);
        var result = parser.ParseAlternation();
        if (parser._pos < parser._cp.Length) throw new RegexUnsupportedException($"unexpected '{parser.Current()}'");
        return result;
    }

    private string Current() => char.ConvertFromUtf32(_cp[_pos]);

    private bool At(int c) => _pos < _cp.Length && _cp[_pos] == c;

    private RegexAlternation ParseAlternation()
    {
        var branches = new List<RegexSequence> { ParseSequence() };
        while (At('|'))
        {
            _pos++;
            branches.Add(ParseSequence());
        }
        return new RegexAlternation(branches);
    }

    private RegexSequence ParseSequence()
    {
        var items = new List<RegexNode>();
        while (_pos < _cp.Length && !At('|') && !At(')'))
        {
            var atom = ParseAtom();
            items.Add(ParseQuantifiers(atom));
        }
        return new RegexSequence(items);
    }

    private RegexNode ParseQuantifiers(RegexNode atom)
    {
        while (_pos < _cp.Length)
        {
            int min;
            int? max;
            var c = _cp[_pos];
            if (c == '*') { min = 0; max = null; _pos++; }
            else if (c == '+') { min = 1; max = null; _pos++; }
            else if (c == '?') { min = 0; max = 1; _pos++; }
            else if (c == '{' && TryParseBraces(out min, out max)) { }
            else break;
            if (atom is RegexAnchor) throw new RegexUnsupportedException("quantified anchor");
            if (At('?')) _pos++; // lazy: same language
            else if (At('+')) throw new RegexUnsupportedException("possessive quantifier");
            if (min > GbnfRepetition.MaxRepetition) throw new RegexUnsupportedException($"repetition count {min} above {GbnfRepetition.MaxRepetition}");
            if (max > GbnfRepetition.MaxRepetition) max = GbnfRepetition.MaxRepetition; // still only accepts matching strings
            atom = new RegexRepeat(atom, min, max);
        }
        return atom;
    }

    private bool TryParseBraces(out int min, out int? max)
    {
        min = 0;
        max = null;
        var end = _pos + 1;
        var text = new System.Text.StringBuilder();
        while (end < _cp.Length && _cp[end] != '}') text.Append(char.ConvertFromUtf32(_cp[end++]));
        if (end >= _cp.Length) return false; // a literal '{' in .NET
        var parts = text.ToString().Split(',');
        if (parts.Length > 2 || !int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out min)) return false;
        if (parts.Length == 1) max = min;
        else if (parts[1].Length > 0)
        {
            if (!int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var m)) return false;
            max = m;
        }
        _pos = end + 1;
        return true;
    }

    private RegexNode ParseAtom()
    {
        var c = _cp[_pos++];
        switch (c)
        {
            case '^': return new RegexAnchor(true);
            case '$': return new RegexAnchor(false);
            case '.': return new RegexChars(new CharSet([('\n', '\n')], negated: true), false);
            case '[': return new RegexChars(ParseClass(), false);
            case '(':
            {
                if (At('?'))
                {
                    _pos++;
                    if (At(':')) _pos++;
                    else if (At('<') && _pos + 1 < _cp.Length && _cp[_pos + 1] != '=' && _cp[_pos + 1] != '!') SkipGroupName('>');
                    else if (At('\'')) SkipGroupName('\'');
                    else throw new RegexUnsupportedException("lookaround, atomic group or inline option '(?'");
                }
                var inner = ParseAlternation();
                if (!At(')')) throw new RegexUnsupportedException("unbalanced parenthesis");
                _pos++;
                return inner;
            }
            case '\\': return ParseEscape(inClass: false);
            default: return new RegexChars(CharSet.Single(c), true);
        }
    }

    private void SkipGroupName(int close)
    {
        _pos++;
        while (_pos < _cp.Length && _cp[_pos] != close) _pos++;
        _pos++;
    }

    private CharSet ParseClass()
    {
        var negated = false;
        if (At('^')) { negated = true; _pos++; }
        var ranges = new List<(int, int)>();
        var first = true;
        while (_pos < _cp.Length && (!At(']') || first))
        {
            first = false;
            int low;
            var c = _cp[_pos++];
            if (c == '\\')
            {
                var esc = ParseEscape(inClass: true);
                var set = ((RegexChars)esc).Set;
                if (!((RegexChars)esc).IsLiteral)
                {
                    if (set.Negated) throw new RegexUnsupportedException("negated shorthand class inside a character class");
                    ranges.AddRange(set.Ranges);
                    continue;
                }
                low = set.Ranges[0].From;
            }
            else if (c == '[' && At(':')) throw new RegexUnsupportedException("POSIX class");
            else low = c;

            if (At('-') && _pos + 1 < _cp.Length && _cp[_pos + 1] != ']')
            {
                _pos++;
                var hc = _cp[_pos++];
                int high;
                if (hc == '\\')
                {
                    var esc = (RegexChars)ParseEscape(inClass: true);
                    if (!esc.IsLiteral) throw new RegexUnsupportedException("class shorthand as range end");
                    high = esc.Set.Ranges[0].From;
                }
                else high = hc;
                ranges.Add((low, high));
            }
            else ranges.Add((low, low));
        }
        if (!At(']')) throw new RegexUnsupportedException("unterminated character class");
        _pos++;
        return new CharSet(ranges, negated);
    }

    private RegexNode ParseEscape(bool inClass)
    {
        if (_pos >= _cp.Length) throw new RegexUnsupportedException("trailing backslash");
        var c = _cp[_pos++];
        switch (c)
        {
            case 'd': return new RegexChars(CharSet.Digit, false);
            case 'D': return new RegexChars(new CharSet(CharSet.Digit.Ranges, true), false);
            case 'w': return new RegexChars(CharSet.Word, false);
            case 'W': return new RegexChars(new CharSet(CharSet.Word.Ranges, true), false);
            case 's': return new RegexChars(CharSet.Space, false);
            case 'S': return new RegexChars(new CharSet(CharSet.Space.Ranges, true), false);
            case 'n': return Lit('\n');
            case 't': return Lit('\t');
            case 'r': return Lit('\r');
            case 'f': return Lit('\f');
            case 'v': return Lit('\v');
            case 'b' when inClass: return Lit('\b');
            case 'x': return Lit(Hex(2));
            case 'u': return Lit(Hex(4));
            case 'b' or 'B' or 'A' or 'z' or 'Z' or 'G': throw new RegexUnsupportedException($"assertion '\\{(char)c}'");
            case 'p' or 'P': throw new RegexUnsupportedException("Unicode category");
            case >= '0' and <= '9': throw new RegexUnsupportedException("backreference or octal escape");
            case 'k': throw new RegexUnsupportedException("named backreference");
            default:
                if (char.IsAsciiLetterOrDigit((char)Math.Min(c, 0xFFFF))) throw new RegexUnsupportedException($"escape '\\{char.ConvertFromUtf32(c)}'");
                return Lit(c);
        }
    }

    private int Hex(int digits)
    {
        if (_pos + digits > _cp.Length) throw new RegexUnsupportedException("short hex escape");
        var text = string.Concat(_cp.Skip(_pos).Take(digits).Select(char.ConvertFromUtf32));
        if (!int.TryParse(text, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var value))
            throw new RegexUnsupportedException("bad hex escape");
        _pos += digits;
        return value;
    }

    private static RegexChars Lit(int cp) => new(CharSet.Single(cp), true);
}
