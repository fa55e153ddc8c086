using AgentHost.Plugins.Tests.Support;
using AgentHost.Plugins.Text;
using AgentHost.Plugins.Translation;

namespace AgentHost.Plugins.Tests.Translation;

/// <summary>Preservation, chunking and validation of the translator, over scripted models (independent of model quality).</summary>
public class TranslatorTests
{
    private static PluginHost Host(ScriptedChatClient client, int context = 4096, int parallel = 2, int maxChars = 200_000) =>
        new(client, new ApproximateTokenCounter(context), o =>
        {
            o.MaxParallelRequests = parallel;
            o.MaxInputCharacters = maxChars;
        });

    private static ScriptedChatClient UpperCaser(Func<string, string>? mangle = null) => new(call =>
        FakeModels.IsTranslate(call) ? (mangle ?? (t => t))(FakeModels.UpperCase(FakeModels.InputText(call))) : "{}");

    private static Task<TranslationResult> Translate(PluginHost host, string text, string target = "zh", string? source = "en", string glossary = "") =>
        host.Get<Translator>().TranslateAsync(host.Kernel, new TranslationRequest { Text = text, TargetLanguage = target, SourceLanguage = source, Glossary = Glossary.Parse(glossary) });

    private const string Marked = "Hello {name}, <b>your</b> order %s is at https://shop.example/o?id=1.\n\nRun `make {target}` &amp; wait.";

    [Fact]
    public async Task PlaceholdersMarkupAndCodeComeBackExactly()
    {
        var client = UpperCaser();
        using var host = Host(client);
        var result = await Translate(host, Marked);
        Assert.Equal("HELLO {name}, <b>YOUR</b> ORDER %s IS AT https://shop.example/o?id=1.\n\nRUN `make {target}` &amp; WAIT.", result.Text);
        Assert.Equal(7, result.ProtectedSpans);
        Assert.Equal(0, result.SegmentFallbackChunks);
        // The model saw tokens, never the spans themselves.
        var call = Assert.Single(client.Calls);
        Assert.DoesNotContain("{name}", call.User);
        Assert.Contains("⟦1⟧", call.User);
    }

    [Fact]
    public async Task TokensTheModelMovesAreAccepted()
    {
        // A model that moves the first token to the end (word order differs between languages).
        using var host = Host(UpperCaser(t => t.Replace("⟦1⟧", "", StringComparison.Ordinal).TrimEnd() + " ⟦1⟧"));
        var result = await Translate(host, "Dear {name}, thanks.");
        Assert.Equal("DEAR , THANKS. {name}", result.Text);
        Assert.Equal(0, result.SegmentFallbackChunks);
    }

    [Theory]
    [InlineData("drop")]
    [InlineData("duplicate")]
    [InlineData("invent")]
    public async Task AChunkThatLosesTokensIsTranslatedBetweenTheSpans(string fault)
    {
        Func<string, string> mangle = fault switch
        {
            "drop" => t => System.Text.RegularExpressions.Regex.Replace(t, "⟦\\d+⟧", ""),
            "duplicate" => t => t.Contains("⟦1⟧", StringComparison.Ordinal) ? t + " ⟦1⟧" : t,
            _ => t => t.Contains('⟦', StringComparison.Ordinal) ? t + " ⟦99⟧" : t,
        };
        var client = UpperCaser(mangle);
        using var host = Host(client);
        var result = await Translate(host, Marked);
        // Every span is back in place; only the text between spans went to the model, one piece at a time.
        Assert.Equal("HELLO {name}, <b>YOUR</b> ORDER %s IS AT https://shop.example/o?id=1.\n\nRUN `make {target}` &amp; WAIT.", result.Text);
        Assert.Equal(1, result.SegmentFallbackChunks);
        Assert.Contains(client.Calls, c => FakeModels.InputText(c) == "Hello");
        Assert.Contains(client.Calls, c => FakeModels.InputText(c) == "order");
        Assert.DoesNotContain(client.Calls.Skip(1), c => FakeModels.InputText(c).Contains('⟦'));
    }

    [Fact]
    public async Task GlossaryTermsAreAppliedWhateverTheModelWrites()
    {
        using var host = Host(UpperCaser());
        var result = await Translate(host, "Redeem your gift card at Contoso.", glossary: "{\"gift card\": \"礼品卡\", \"Contoso\": \"康托索\"}");
        Assert.Equal("REDEEM YOUR 礼品卡 AT 康托索.", result.Text);
    }

    [Fact]
    public async Task LongTextsAreSplitTranslatedConcurrentlyAndReassembledInOrder()
    {
        var paragraphs = Enumerable.Range(1, 40).Select(i => $"Paragraph {i} says hello to {{user{i}}} and explains point {i} in a sentence. It has a second sentence too.");
        var text = string.Join("\n\n", paragraphs);
        var random = new Random(7);
        var client = new ScriptedChatClient(async call =>
        {
            // Random latency, so chunks finish out of order.
            int delay;
            lock (random) delay = random.Next(0, 25);
            await Task.Delay(delay);
            return new Microsoft.Extensions.AI.ChatResponse(new Microsoft.Extensions.AI.ChatMessage(Microsoft.Extensions.AI.ChatRole.Assistant, FakeModels.UpperCase(FakeModels.InputText(call))));
        });
        using var host = Host(client, context: 900, parallel: 4);
        var result = await Translate(host, text);

        var expected = string.Join("\n\n", paragraphs.Select((p, i) => FakeModels.UpperCase(p).Replace($"{{USER{i + 1}}}", $"{{user{i + 1}}}", StringComparison.Ordinal)));
        Assert.Equal(expected, result.Text);
        Assert.True(result.Chunks > 4, $"expected several chunks, got {result.Chunks}");
        Assert.Equal(result.Chunks, client.Calls.Count);
        Assert.Equal(40, result.ProtectedSpans);
        var budget = host.Get<Translator>().ChunkBudget(new Dictionary<string, object?> { ["source_language"] = "English (en)", ["target_language"] = "Chinese (Simplified) (zh)", ["formality"] = "default" });
        Assert.All(client.Calls, c => Assert.True(new ApproximateTokenCounter(900).CountTokens(FakeModels.InputText(c)) <= budget));
    }

    [Fact]
    public async Task ChineseSourceIsDetectedWithoutAskingTheModel()
    {
        var client = UpperCaser();
        using var host = Host(client);
        var result = await Translate(host, "您好 {name}，您的订单已发货。", target: "en", source: "auto");
        Assert.True(result.SourceDetected);
        Assert.Equal("zh", result.SourceLanguage);
        Assert.Equal("en", result.TargetLanguage);
        var call = Assert.Single(client.Calls);
        Assert.True(FakeModels.IsTranslate(call));
        Assert.Contains("Source language: Chinese (Simplified) (zh)\nTarget language: English (en)", call.User);
    }

    [Fact]
    public async Task AmbiguousTextIsDetectedByTheModelWithStructuredOutput()
    {
        var client = new ScriptedChatClient(call => FakeModels.IsDetect(call) ? "{\"language\": \"fr\", \"confidence\": 0.9}" : "ok");
        using var host = Host(client);
        var detection = await host.Get<Translator>().DetectAsync(host.Kernel, "Taxi hotel restaurant");
        Assert.True(detection.Ok, detection.Error);
        Assert.Equal(new LanguageDetection("fr", "French", 0.9, "model"), detection.Value);
        Assert.IsType<Microsoft.Extensions.AI.ChatResponseFormatJson>(Assert.Single(client.Calls).Options!.ResponseFormat);
    }

    [Fact]
    public async Task UnparseableModelDetectionFallsBackToTheHeuristicGuess()
    {
        using var host = Host(new ScriptedChatClient(_ => "it is probably English"));
        var detection = await host.Get<Translator>().DetectAsync(host.Kernel, "Taxi to the hotel");
        Assert.True(detection.Ok);
        Assert.Equal("en", detection.Value!.Language);
        Assert.Equal("heuristic", detection.Value.Method);
    }

    [Theory]
    [InlineData("Hello {name}, thanks for your order. It has shipped.", "en")]
    [InlineData("您好 {name}，<b>订单</b>已发货。", "zh")]
    [InlineData("Ihre Bestellung ist unterwegs und wird morgen geliefert, bitte warten Sie.", "de")]
    [InlineData("Votre commande est en route et nous vous remercions pour votre achat.", "fr")]
    [InlineData("ご注文の商品は明日届きます。", "ja")]
    [InlineData("주문하신 상품이 내일 도착합니다.", "ko")]
    [InlineData("Ваш заказ уже в пути, спасибо за покупку.", "ru")]
    public async Task ClearTextIsDetectedWithoutTheModel(string text, string language)
    {
        using var host = Host(ScriptedChatClient.NeverCalled());
        var detection = await host.Get<Translator>().DetectAsync(host.Kernel, text);
        Assert.True(detection.Ok, detection.Error);
        Assert.Equal((language, "heuristic"), (detection.Value!.Language, detection.Value.Method));
        Assert.True(detection.Value.Confidence >= Translator.HeuristicConfidence);
    }

    [Fact]
    public async Task UndetectableTextIsAClearError()
    {
        using var host = Host(new ScriptedChatClient(_ => "no idea"));
        var detection = await host.Get<Translator>().DetectAsync(host.Kernel, "12345 !!!");
        Assert.False(detection.Ok);
        Assert.Contains("not valid JSON", detection.Error);
        var ex = await Assert.ThrowsAsync<PluginInputException>(() => Translate(host, "12345 !!!", source: null));
        Assert.Equal("source_language", ex.ParamName);
        Assert.Contains("pass it explicitly", ex.Message);
    }

    [Fact]
    public async Task SameSourceAndTargetReturnsTheTextUntouched()
    {
        var client = UpperCaser();
        using var host = Host(client);
        var result = await Translate(host, "Already English.", target: "English", source: "en-US");
        Assert.Equal("Already English.", result.Text);
        Assert.Empty(client.Calls);
    }

    [Theory]
    [InlineData("", "zh", "en", "text: must not be empty")]
    [InlineData("Hi", "klingon", "en", "target_language: unknown language 'klingon'; supported: en, zh, zh-Hant")]
    [InlineData("Hi", "zh", "xx-YY", "source_language: unknown language 'xx-YY'")]
    [InlineData("Hi\u0001", "zh", "en", "text: contains the control character U+0001")]
    public async Task BadRequestsNameTheProblem(string text, string target, string source, string message)
    {
        var client = UpperCaser();
        using var host = Host(client);
        var ex = await Assert.ThrowsAsync<PluginInputException>(() => Translate(host, text, target, source));
        Assert.StartsWith(message, ex.Message);
        Assert.Empty(client.Calls);
    }

    [Fact]
    public async Task OversizedTextIsRefusedWithTheLimit()
    {
        using var host = Host(UpperCaser(), maxChars: 100);
        var ex = await Assert.ThrowsAsync<PluginInputException>(() => Translate(host, new string('a', 101)));
        Assert.Equal("text: is 101 characters; the limit is 100", ex.Message);
    }

    [Fact]
    public async Task AContextTooSmallForThePromptIsAClearError()
    {
        using var host = Host(UpperCaser(), context: 200);
        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() => Translate(host, "Hello"));
        Assert.Contains("context window (200 tokens) is too small for Translation.Translate", ex.Message);
    }

    [Fact]
    public async Task BatchValidatesEveryItemFirstAndReportsItemFailuresSeparately()
    {
        var client = new ScriptedChatClient(call => FakeModels.InputText(call).Contains("boom", StringComparison.Ordinal)
            ? throw new InvalidOperationException("model failure on this item")
            : FakeModels.UpperCase(FakeModels.InputText(call)));
        using var host = Host(client);
        var translator = host.Get<Translator>();

        var bad = await Assert.ThrowsAsync<PluginInputException>(() => translator.TranslateBatchAsync(host.Kernel, ["ok", " ", "ok"], "zh", "en"));
        Assert.Equal("texts[1].text: must not be empty", bad.Message);
        Assert.Empty(client.Calls);

        var results = await translator.TranslateBatchAsync(host.Kernel, ["one {a}", "boom", "three"], "zh", "en");
        Assert.Equal([0, 1, 2], results.Select(r => r.Index));
        Assert.Equal("ONE {a}", results[0].Result!.Text);
        Assert.Null(results[1].Result);
        Assert.Contains("model failure on this item", results[1].Error);
        Assert.Equal("THREE", results[2].Result!.Text);
    }
}
