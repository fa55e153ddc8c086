using System.Globalization;
using System.Text;

namespace AgentHost.Jinja.Runtime.Builtins;

/// <summary>C-locale strftime (glibc flavour, including the -, _, 0 and ^ flags) for strftime_now.</summary>
internal static class Strftime
{
    private static readonly string[] Days = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];
    private static readonly string[] Months =
        ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];

    public static string Format(string format, DateTimeOffset time)
    {
        var sb = new StringBuilder();
        for (var i = 0; i < format.Length; i++)
        {
            var c = format[i];
            if (c != '%' || i + 1 >= format.Length)
            {
                sb.Append(c);
                continue;
            }
            var start = i;
            char? flag = null;
            i++;
            if (format[i] is '-' or '_' or '0' or '^' or '#')
            {
                flag = format[i];
                if (++i >= format.Length)
                {
                    sb.Append(format, start, i - start);
                    break;
                }
            }
            var text = Convert(format[i], time, flag);
            if (text is null) sb.Append(format, start, i - start + 1);
            else sb.Append(flag == '^' ? text.ToUpperInvariant() : text);
        }
        return sb.ToString();
    }

    private static string? Convert(char spec, DateTimeOffset t, char? flag)
    {
        var d = t.DateTime;
        string Num(int value, int width, char pad = '0')
        {
            if (flag == '-') return value.ToString(CultureInfo.InvariantCulture);
            var p = flag == '_' ? ' ' : flag == '0' ? '0' : pad;
            return value.ToString(CultureInfo.InvariantCulture).PadLeft(width, p);
        }
        var hour12 = d.Hour % 12 == 0 ? 12 : d.Hour % 12;
        return spec switch
        {
            'a' => Days[(int)d.DayOfWeek][..3],
            'A' => Days[(int)d.DayOfWeek],
            'b' or 'h' => Months[d.Month - 1][..3],
            'B' => Months[d.Month - 1],
            'c' => $"{Days[(int)d.DayOfWeek][..3]} {Months[d.Month - 1][..3]} {d.Day,2} {d:HH:mm:ss} {d.Year}",
            'C' => Num(d.Year / 100, 2),
            'd' => Num(d.Day, 2),
            'D' => $"{d.Month:00}/{d.Day:00}/{d.Year % 100:00}",
            'e' => Num(d.Day, 2, ' '),
            'F' => $"{d.Year:0000}-{d.Month:00}-{d.Day:00}",
            'G' => Num(ISOWeek.GetYear(d), 4),
            'g' => Num(ISOWeek.GetYear(d) % 100, 2),
            'H' => Num(d.Hour, 2),
            'I' => Num(hour12, 2),
            'j' => Num(d.DayOfYear, 3),
            'k' => Num(d.Hour, 2, ' '),
            'l' => Num(hour12, 2, ' '),
            'm' => Num(d.Month, 2),
            'M' => Num(d.Minute, 2),
            'n' => "\n",
            'p' => d.Hour < 12 ? "AM" : "PM",
            'P' => d.Hour < 12 ? "am" : "pm",
            'r' => $"{hour12:00}:{d.Minute:00}:{d.Second:00} {(d.Hour < 12 ? "AM" : "PM")}",
            'R' => $"{d.Hour:00}:{d.Minute:00}",
            's' => t.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture),
            'S' => Num(d.Second, 2),
            't' => "\t",
            'T' => $"{d.Hour:00}:{d.Minute:00}:{d.Second:00}",
            'u' => (d.DayOfWeek == DayOfWeek.Sunday ? 7 : (int)d.DayOfWeek).ToString(CultureInfo.InvariantCulture),
            'U' => Num((d.DayOfYear + 6 - (int)d.DayOfWeek) / 7, 2),
            'V' => Num(ISOWeek.GetWeekOfYear(d), 2),
            'w' => ((int)d.DayOfWeek).ToString(CultureInfo.InvariantCulture),
            'W' => Num((d.DayOfYear + 6 - ((int)d.DayOfWeek + 6) % 7) / 7, 2),
            'x' => $"{d.Month:00}/{d.Day:00}/{d.Year % 100:00}",
            'X' => $"{d.Hour:00}:{d.Minute:00}:{d.Second:00}",
            'y' => Num(d.Year % 100, 2),
            'Y' => Num(d.Year, 1),
            'z' => (t.Offset < TimeSpan.Zero ? "-" : "+") + t.Offset.Duration().ToString("hhmm", CultureInfo.InvariantCulture),
            'Z' => t.Offset == TimeSpan.Zero ? "UTC" : "",
            '%' => "%",
            _ => null,
        };
    }
}
