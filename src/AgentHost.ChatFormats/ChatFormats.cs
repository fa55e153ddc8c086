using AgentHost.ChatFormats.Families;
using Microsoft.Extensions.Logging;

namespace AgentHost.ChatFormats;

/// <summary>
/// The known families, most specific first: detection takes the first whose markers the template contains. A
/// template none matches keeps the generic JSON fallback (tools described in the system message).
/// </summary>
public static class ChatFormats
{
    /// <summary>Every family, in detection order.</summary>
    public static IReadOnlyList<ChatFormat> All { get; } =
    [
        new Ministral3Format(),
        new GptOssFormat(),
        new MuseGlimmerFormat(),
        new FunctionaryV32Format(),
        new KimiK2Format(),
        new KimiK3Format(),
        new Ling3Format(),
        new Cohere2MoeFormat(),
        new Lfm2Format(),
        new GigaChatV3Format(),
        new MiniMaxM3Format(),
        new DeepSeekDsmlFormat(),
        new Gemma4Format(),
        new MiniCpm5Format(),
        new Qwen3CoderFormat(),
        new GlmFormat(),
        new DeepSeekFormat(),
        new SeedOssFormat(),
        new MiniMaxM2Format(),
        new MiniMaxM1Format(),
        new NemotronNanoV2Format(),
        new ApertusFormat(),
        new RekaFormat(),
        new Hy3Format(),
        new SolarOpenFormat(),
        new MistralSmall32Format(),
        new MistralNemoFormat(),
        new Llama3Format(),
        new FirefunctionV2Format(),
        new FunctionaryV31Format(),
        new CommandR7BFormat(),
        new CommandRPlusFormat(),
        new GigaChatV31Format(),
        new AprielFormat(),
        new HermesFormat(),
        new PlainFormat(),
    ];

    /// <summary>The family of <paramref name="templateSource"/>, or null (generic fallback, logged).</summary>
    public static ChatFormat? Detect(string? templateSource, ILogger? logger = null)
    {
        if (string.IsNullOrEmpty(templateSource)) return null;
        foreach (var f in All)
        {
            if (f.Matches(templateSource)) return f;
        }
        logger?.LogWarning("No chat-format family matches this chat template; tool calls use the generic JSON fallback (the tools are described in the system message and the whole reply is a JSON object)");
        return null;
    }

    /// <summary>The family named <paramref name="name"/> (as <see cref="ChatFormat.Name"/>), or null.</summary>
    public static ChatFormat? ByName(string name) => All.FirstOrDefault(f => string.Equals(f.Name, name, StringComparison.OrdinalIgnoreCase));
}
