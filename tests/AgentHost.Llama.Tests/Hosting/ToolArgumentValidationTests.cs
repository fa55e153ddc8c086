using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Nodes;
using AgentHost.Grammar;
using AgentHost.Hosting;
using AgentHost.Hosting.ToolArguments;
using AgentHost.Llama.Tests.Engine;
using AgentHost.Native;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace AgentHost.Llama.Tests.Hosting;

/// <summary>
/// MEAI's conformance suite declares tools with <c>[DeniedValues]</c>, which emits <c>"not": {"enum": [...]}</c>: no
/// grammar can express it, so the grammar loosens there and the arguments are validated before the call is made. A
/// violation goes back to the model as the tool's result; the request succeeds.
/// </summary>
public class ToolArgumentValidationTests(StoriesModelFixture fixture) : IClassFixture<StoriesModelFixture>
{
    private int _paints;

    [Description("Paints the fence")]
    private string Paint([DeniedValues("red", "green")] string color, [Range(1, 3)] int coats)
    {
        _paints++;
        return $"painted {color} x{coats}";
    }

    private AIFunction PaintFunction() => AIFunctionFactory.Create(Paint, "paint");

    [Fact]
    public void DeniedValues_schema_converts_to_a_grammar_llama_cpp_accepts()
    {
        var function = PaintFunction();
        var parameters = JsonNode.Parse(function.JsonSchema.GetRawText())!;
        Assert.NotNull(parameters["properties"]?["color"]?["not"]?["enum"]); // what MEAI emits for [DeniedValues]

        var loosened = new List<SchemaLoosening>();
        var schemaOptions = new JsonSchemaGrammarOptions { Loosened = loosened.Add };
        var argsGrammar = JsonSchemaGrammar.FromSchema(function.JsonSchema, schemaOptions);
        var tool = new ToolDefinition(function.Name, function.Description, function.JsonSchema);
        var toolGrammar = ToolCallFormat.Hermes.Build([tool], ToolChoice.Required, new ToolCallGrammarOptions { Schema = schemaOptions })!;
        Assert.Contains(loosened, l => l.Keyword == "not" && l.SchemaPath == "#/properties/color/not");
        Assert.Contains(loosened, l => l.Keyword == "not" && l.SchemaPath == "#/tools/paint/parameters/properties/color/not");

        // llama.cpp's own grammar parser (llama_sampler_init_grammar) must take both.
        using (SafeLlamaSamplerHandle.Create(fixture.Model.Handle, new SamplerSettings { Grammar = argsGrammar, GrammarRoot = "root" })) { }
        using (SafeLlamaSamplerHandle.Create(fixture.Model.Handle, new SamplerSettings { Grammar = toolGrammar.Grammar, GrammarRoot = toolGrammar.Root })) { }
    }

    [Fact]
    public async Task A_denied_argument_comes_back_as_a_tool_error_and_the_request_succeeds()
    {
        var model = new ScriptedModel(
            new FunctionCallContent("call_1", "paint", new Dictionary<string, object?> { ["color"] = "red", ["coats"] = 2 }),
            new FunctionCallContent("call_2", "paint", new Dictionary<string, object?> { ["color"] = "blue", ["coats"] = 2 }));
        using var client = new ChatClientBuilder(model).UseFunctionInvocationWithArgumentValidation().Build();

        var response = await client.GetResponseAsync("Paint the fence", new ChatOptions { Tools = [PaintFunction()] });

        Assert.Equal("done", response.Text);
        Assert.Equal(1, _paints); // only the valid call ran
        var results = response.Messages.SelectMany(m => m.Contents).OfType<FunctionResultContent>().ToList();
        Assert.Equal(2, results.Count);
        var error = Assert.IsType<string>(results[0].Result);
        Assert.StartsWith("Error: 'paint' was not called", error, StringComparison.Ordinal);
        Assert.True(error.Contains("argument 'color'", StringComparison.Ordinal), error);
        Assert.True(error.Contains("'not'", StringComparison.Ordinal), error);
        Assert.True(error.Contains("#/properties/color/not", StringComparison.Ordinal), error);
        Assert.Equal("painted blue x2", results[1].Result?.ToString());
        // The model saw the error as the tool's result on its second turn.
        Assert.Contains(model.Seen[1].SelectMany(m => m.Contents).OfType<FunctionResultContent>(), r => r.CallId == "call_1" && r.Result is string s && s.Contains("'not'", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Streaming_gets_the_same_tool_error()
    {
        var model = new ScriptedModel(new FunctionCallContent("call_1", "paint", new Dictionary<string, object?> { ["color"] = "green", ["coats"] = 9 }));
        using var client = new ChatClientBuilder(model).UseFunctionInvocationWithArgumentValidation().Build();

        var response = await client.GetStreamingResponseAsync("Paint the fence", new ChatOptions { Tools = [PaintFunction()] }).ToChatResponseAsync();

        Assert.Equal("done", response.Text);
        Assert.Equal(0, _paints);
        var error = Assert.IsType<string>(response.Messages.SelectMany(m => m.Contents).OfType<FunctionResultContent>().Single().Result);
        Assert.True(error.Contains("argument 'color'", StringComparison.Ordinal), error);
        Assert.True(error.Contains("argument 'coats'", StringComparison.Ordinal), error); // [Range(1, 3)] broken too
    }

    [Fact]
    public async Task AddLlamaChatClient_validates_arguments_before_invoking()
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Llama:ModelPath"] = TestAssets.Stories260K,
            ["Llama:Backend"] = "Cpu",
            ["Llama:ContextSize"] = "256",
            ["Llama:Threads"] = "1",
            ["Llama:ChatTemplate"] = "chatml",
        });
        builder.Services.AddLogging();
        builder.Services.AddLlamaChatClient(builder.Configuration);
        using var host = builder.Build();
        var invoking = host.Services.GetRequiredService<IChatClient>().GetService<FunctionInvokingChatClient>();
        Assert.NotNull(invoking?.FunctionInvoker);

        var function = PaintFunction();
        var context = new FunctionInvocationContext
        {
            Function = function,
            Arguments = new AIFunctionArguments(new Dictionary<string, object?> { ["color"] = JsonSerializer.SerializeToElement("red"), ["coats"] = JsonSerializer.SerializeToElement(1) }),
            CallContent = new FunctionCallContent("call_1", "paint"),
        };
        var result = await invoking!.FunctionInvoker!(context, CancellationToken.None);
        var error = Assert.IsType<string>(result);
        Assert.True(error.Contains("argument 'color'", StringComparison.Ordinal), error);
        Assert.Equal(0, _paints);
    }

    /// <summary>Plays the model: one scripted call per turn, then "done"; records what it was sent.</summary>
    private sealed class ScriptedModel(params FunctionCallContent[] calls) : IChatClient
    {
        public List<List<ChatMessage>> Seen { get; } = [];

        public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
        {
            var turn = Seen.Count;
            Seen.Add(messages.ToList());
            var message = turn < calls.Length ? new ChatMessage(ChatRole.Assistant, [calls[turn]]) : new ChatMessage(ChatRole.Assistant, "done");
            return Task.FromResult(new ChatResponse(message) { FinishReason = turn < calls.Length ? ChatFinishReason.ToolCalls : ChatFinishReason.Stop });
        }

        public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
        {
            var response = await GetResponseAsync(messages, options, cancellationToken);
            foreach (var update in response.ToChatResponseUpdates()) yield return update;
        }

        public object? GetService(Type serviceType, object? serviceKey = null) => serviceType.IsInstanceOfType(this) ? this : null;

        public void Dispose() { }
    }
}
