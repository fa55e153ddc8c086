using System.Collections.Concurrent;
using System.ComponentModel;
using System.Text.Json.Serialization;
using Microsoft.SemanticKernel;

namespace AgentHost.WebUi.Tests.Support;

[JsonConverter(typeof(JsonStringEnumConverter<Tone>))]
public enum Tone { Neutral, Formal, Friendly }

public sealed record GlossaryTerm([property: Description("The term in the text")] string Term, [property: Description("What to write instead")] string Translation);

public sealed record GlossaryReplacement(string Term, string Translation, int Count);

public sealed record GlossaryResult(string Text, IReadOnlyList<GlossaryReplacement> Replaced, Tone Tone, bool CaseSensitive);

/// <summary>
/// A deterministic kernel function whose parameters cover the form generator: a long string, an array of objects
/// (a glossary), a boolean, an enum and an integer. Every call is recorded, so a test sees what the page sent.
/// </summary>
public sealed class DemoPlugin
{
    public static ConcurrentQueue<(string Text, IReadOnlyList<GlossaryTerm> Glossary, bool CaseSensitive, Tone Tone, int Repeat)> Calls { get; } = new();

    [KernelFunction("ApplyGlossary"), Description("Replaces each glossary term in the text with its translation and reports how often.")]
    public static GlossaryResult ApplyGlossary(
        [Description("The text to rewrite.")] string text,
        [Description("Term and translation pairs.")] List<GlossaryTerm> glossary,
        [Description("Match terms case-sensitively.")] bool caseSensitive = false,
        [Description("Tone of the result.")] Tone tone = Tone.Neutral,
        [Description("How many times to repeat the result (1-3).")] int repeat = 1)
    {
        Calls.Enqueue((text, glossary, caseSensitive, tone, repeat));
        var comparison = caseSensitive ? StringComparison.Ordinal : StringComparison.OrdinalIgnoreCase;
        var replaced = new List<GlossaryReplacement>();
        foreach (var entry in glossary)
        {
            var count = 0;
            for (var at = text.IndexOf(entry.Term, comparison); at >= 0; at = text.IndexOf(entry.Term, at + entry.Translation.Length, comparison))
            {
                text = string.Concat(text.AsSpan(0, at), entry.Translation, text.AsSpan(at + entry.Term.Length));
                count++;
            }
            replaced.Add(new GlossaryReplacement(entry.Term, entry.Translation, count));
        }
        return new GlossaryResult(string.Join(" ", Enumerable.Repeat(text, Math.Clamp(repeat, 1, 3))), replaced, tone, caseSensitive);
    }
}

[JsonConverter(typeof(JsonStringEnumConverter<City>))]
public enum City { Paris, Tokyo, Lima }

/// <summary>The tool the model calls in the tool test: a fixed forecast per city, each call recorded.</summary>
public sealed class WeatherPlugin
{
    public static ConcurrentQueue<City> Calls { get; } = new();

    [KernelFunction("GetWeather"), Description("Current weather of a city.")]
    public static string GetWeather([Description("The city.")] City city)
    {
        Calls.Enqueue(city);
        return $"Forecast for {city}: sunny, 21 degrees";
    }
}

[JsonConverter(typeof(JsonStringEnumConverter<RefundReason>))]
public enum RefundReason { Damaged, Late, Wrong }

/// <summary>A tool that spends money: the refunds agent declares it ApprovalRequired. Each refund issued is recorded.</summary>
public sealed class LedgerPlugin
{
    public static ConcurrentQueue<RefundReason> Refunds { get; } = new();

    [KernelFunction("IssueRefund"), Description("Refunds the customer's order.")]
    public static string IssueRefund([Description("Why.")] RefundReason reason)
    {
        Refunds.Enqueue(reason);
        return $"Refund issued ({reason})";
    }
}
