using AgentHost.Grammar;
using AgentHost.Llama.Chat;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;

namespace AgentHost.Llama.Tests.Chat;

/// <summary>
/// Images, audio and PDFs sent to a text-only model: left out of the prompt, as MEAI's own clients leave out content
/// their service cannot take (OpenAIChatClient skips such parts), and a warning names each one.
/// </summary>
public class UnreadableContentTests
{
    private static List<ChatMessage> Conversation() =>
    [
        new(ChatRole.User,
        [
            new TextContent("What is in these?"),
            new DataContent(new byte[] { 0x89, 0x50, 0x4E, 0x47 }, "image/png"),
            new DataContent(new byte[] { 0x52, 0x49, 0x46, 0x46 }, "audio/wav"),
        ]),
        new(ChatRole.Assistant, "I cannot see them."),
        new(ChatRole.User, [new TextContent("And this one?"), new DataContent(new byte[] { 0x25, 0x50, 0x44, 0x46 }, "application/pdf") { Name = "sample.pdf" }]),
    ];

    [Fact]
    public void JinjaTemplateLeavesThemOutAndWarnsNamingEach()
    {
        var logger = new CollectingLogger();
        var formatter = new JinjaTemplateFormatter(File.ReadAllText(TestAssets.ChatTemplate("Qwen-Qwen2.5-7B-Instruct")), "", "<|im_end|>", logger: logger);

        var prompt = formatter.Format(Conversation(), []);

        Assert.Contains("What is in these?", prompt.Text, StringComparison.Ordinal);
        Assert.Contains("And this one?", prompt.Text, StringComparison.Ordinal);
        var warning = Assert.Single(logger.Entries, e => e.Level == LogLevel.Warning).Message;
        Assert.Contains("DataContent 'image/png' in message 0 (user)", warning, StringComparison.Ordinal);
        Assert.Contains("DataContent 'audio/wav' in message 0 (user)", warning, StringComparison.Ordinal);
        Assert.Contains("DataContent 'application/pdf' in message 2 (user)", warning, StringComparison.Ordinal);
    }

    [Fact]
    public void TextOnlyConversationsWarnNothing()
    {
        var logger = new CollectingLogger();
        new JinjaTemplateFormatter(File.ReadAllText(TestAssets.ChatTemplate("Qwen-Qwen2.5-7B-Instruct")), "", "<|im_end|>", logger: logger)
            .Format([new ChatMessage(ChatRole.User, "hi")], [new ToolDefinition("ping")]);
        Assert.Empty(logger.Entries);
    }

    internal sealed class CollectingLogger : ILogger
    {
        public List<(LogLevel Level, string Message)> Entries { get; } = [];

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            Entries.Add((logLevel, formatter(state, exception)));
    }
}

/// <summary>llama.cpp's built-in templates (native: the stories fixture loads the library) warn the same way.</summary>
public class UnreadableContentBuiltinTemplateTests(AgentHost.Llama.Tests.Engine.StoriesModelFixture fixture) : IClassFixture<AgentHost.Llama.Tests.Engine.StoriesModelFixture>
{
    [Fact]
    public void BuiltinTemplateWarnsToo()
    {
        var logger = new UnreadableContentTests.CollectingLogger();
        Assert.NotNull(fixture.Model);
        var formatter = new BuiltinTemplateFormatter("chatml", null, logger);

        var prompt = formatter.Format([new ChatMessage(ChatRole.User, [new TextContent("Look"), new UriContent("https://example.com/cat.jpg", "image/jpeg")])], []);

        Assert.Contains("Look", prompt.Text, StringComparison.Ordinal);
        Assert.Contains("UriContent 'image/jpeg'", Assert.Single(logger.Entries, e => e.Level == LogLevel.Warning).Message, StringComparison.Ordinal);
    }
}

/// <summary>Each keyword the grammar cannot enforce is logged once, however many requests carry the schema.</summary>
public class SchemaLooseningLogTests
{
    [Fact]
    public void Each_keyword_is_logged_once_across_conversions()
    {
        var logger = new UnreadableContentTests.CollectingLogger();
        var log = new SchemaLooseningLog(logger);
        const string schema = """{"type":"object","properties":{"color":{"type":"string","not":{"enum":["red"]}},"tags":{"type":"array","uniqueItems":true}}}""";
        for (var i = 0; i < 3; i++) JsonSchemaGrammar.FromSchemaJson(schema, log.Options);
        JsonSchemaGrammar.FromSchemaJson("""{"type":"object","properties":{"color":{"type":"integer","not":{"const":3}}}}""", log.Options);

        Assert.Equal(3, logger.Entries.Count); // not and uniqueItems once each; a different schema at the same path once more
        Assert.All(logger.Entries, e => Assert.Equal(LogLevel.Warning, e.Level));
        Assert.Single(logger.Entries, e => e.Message.Contains("'uniqueItems' at #/properties/tags/uniqueItems", StringComparison.Ordinal));
        Assert.Equal(2, logger.Entries.Count(e => e.Message.Contains("'not' at #/properties/color/not", StringComparison.Ordinal)));
    }
}
