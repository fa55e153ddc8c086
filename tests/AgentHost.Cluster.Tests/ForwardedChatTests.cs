using System.Text.Json;
using AgentHost.Cluster.Options;
using AgentHost.Cluster.Routing;
using AgentHost.Cluster.Tests.Support;
using AgentHost.Hosting;
using AgentHost.Llama.Chat;
using AgentHost.Llama.Engine;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace AgentHost.Cluster.Tests;

/// <summary>
/// Requests without a conversation id (what OpenAI and Anthropic clients and the agents send: the whole history each
/// time) through <see cref="ClusterChatClient"/> on three silos, each its own engine on stories260K: they run on the
/// node sharing their longest prompt prefix, and every option, tool, property and error arrives as on one node.
/// </summary>
public sealed class ForwardedChatTests(ITestOutputHelper output)
{
    private static IChatClient ModelOf(StoryCluster cluster, int silo)
    {
        var silos = cluster.Cluster.GetActiveSilos().ToList();
        return cluster.Cluster.GetSiloServiceProvider(silos[silo % silos.Count].SiloAddress).GetRequiredKeyedService<IChatClient>(LlamaServiceCollectionExtensions.ModelChatClientKey);
    }

    private static IChatClient RoundRobinOf(StoryCluster cluster, int silo)
    {
        var silos = cluster.Cluster.GetActiveSilos().ToList();
        var services = cluster.Cluster.GetSiloServiceProvider(silos[silo % silos.Count].SiloAddress);
        return new ClusterChatClient(services.GetRequiredService<IGrainFactory>(), services.GetRequiredService<LlamaChatClient>(),
            services.GetRequiredService<AgentHost.Cluster.Nodes.ClusterView>(), Microsoft.Extensions.Options.Options.Create(new AgentHostClusterOptions { Routing = ClusterRouting.RoundRobin }));
    }

    /// <summary>Until every silo knows every silo's summary: before that, a node is placed on as if idle and empty.</summary>
    private static async Task WaitForSummariesAsync(StoryCluster cluster, int silos)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        foreach (var silo in cluster.Cluster.GetActiveSilos())
        {
            var view = cluster.Cluster.GetSiloServiceProvider(silo.SiloAddress).GetRequiredService<AgentHost.Cluster.Nodes.ClusterView>();
            while (view.Summaries.Count < silos) await Task.Delay(50, timeout.Token);
        }
    }

    /// <summary>Conversations of <see cref="StoryWorkload"/> sent stateless: turn t of conversation c enters at silo c + t with the whole history.</summary>
    private static async Task<List<TurnResult>> RunStatelessAsync(Func<int, IChatClient> entry, int first, TimeSpan thinkTime)
    {
        var results = new List<TurnResult>();
        await Parallel.ForEachAsync(Enumerable.Range(first, StoryWorkload.Conversations), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (c, _) =>
        {
            var history = new List<ChatMessage>();
            for (var t = 0; t < StoryWorkload.Turns; t++)
            {
                history.AddRange(StoryWorkload.TurnMessages(c, t).Select(m => new ChatMessage(new ChatRole(m.Role), m.Content)));
                var options = new ChatOptions { MaxOutputTokens = StoryWorkload.Settings.MaxTokens, Temperature = 0 };
                // Half of them streamed: both paths forward the same way.
                ChatResponse response = c % 2 == 0
                    ? await entry(c + t).GetStreamingResponseAsync(history, options).ToChatResponseAsync()
                    : await entry(c + t).GetResponseAsync(history, options);
                var node = response.AdditionalProperties?[ForwardedChatJson.NodeProperty] as string
                    ?? response.Messages.SelectMany(m => m.AdditionalProperties ?? []).FirstOrDefault(p => p.Key == ForwardedChatJson.NodeProperty).Value as string;
                Assert.NotNull(node);
                var usage = response.Usage!;
                var cached = usage.CachedInputTokenCount ?? usage.AdditionalCounts?.GetValueOrDefault("CachedInputTokens") ?? 0;
                lock (results) results.Add(new TurnResult(c, t, response.Text, node!, (int)usage.InputTokenCount!, (int)cached, (int)usage.OutputTokenCount!));
                history.Add(new ChatMessage(ChatRole.Assistant, response.Text));
                // The user reads and types; meanwhile the node's summary reaches the other nodes.
                await Task.Delay(thinkTime);
            }
        });
        return results;
    }

    [Fact]
    public async Task Stateless_turns_entering_anywhere_run_where_their_prefix_is_cached_round_robin_does_not_and_replies_equal_a_single_node()
    {
        using var redis = RedisServer.Start();
        await using var cluster = await StoryCluster.StartAsync(3, redis.ConnectionString);
        await WaitForSummariesAsync(cluster, 3);
        var think = TimeSpan.FromMilliseconds(400);

        var affinity = await RunStatelessAsync(i => ModelOf(cluster, i), 0, think);
        // Other conversations (their numbers differ), so the baseline finds nothing of the first run in any cache.
        var roundRobin = await RunStatelessAsync(i => RoundRobinOf(cluster, i), StoryWorkload.Conversations, think);

        var aff = StoryCluster.CacheShare(affinity);
        var rr = StoryCluster.CacheShare(roundRobin);
        output.WriteLine($"history from cache on returning turns: prefix routing min {aff.Min:P1} mean {aff.Mean:P1}, {aff.Recomputed} history tokens recomputed; round-robin min {rr.Min:P1} mean {rr.Mean:P1}, {rr.Recomputed} recomputed");
        var perNode = affinity.GroupBy(r => r.Node).ToDictionary(g => g.Key, g => g.Count());
        output.WriteLine("turns per node (prefix routing): " + string.Join(", ", perNode.Select(p => $"{p.Key}={p.Value}")));

        Assert.Equal(StoryWorkload.Conversations * StoryWorkload.Turns, affinity.Count);
        // Every turn of a conversation ran where its first did, though each entered at another silo.
        Assert.All(affinity.GroupBy(r => r.Conversation), g => Assert.Single(g.Select(r => r.Node).Distinct()));
        Assert.True(aff.Min >= 0.95, $"prefix routing: a returning turn had only {aff.Min:P1} of its history from cache");
        Assert.True(perNode.Count >= 2, "prefix routing put every conversation on one node");
        Assert.True(rr.Mean < aff.Mean - 0.2, $"round-robin served {rr.Mean:P1} of history from cache, prefix routing {aff.Mean:P1}");

        var single = await StoryCluster.SingleNodeRepliesAsync(Enumerable.Range(0, 2 * StoryWorkload.Conversations));
        var agreeAffinity = StoryCluster.Agreement(affinity, single, output.WriteLine);
        var agreeRoundRobin = StoryCluster.Agreement(roundRobin, single, output.WriteLine);
        output.WriteLine($"greedy replies equal to a single node's: prefix routing {agreeAffinity:P1}, round-robin {agreeRoundRobin:P1}");
        Assert.True(agreeAffinity >= 0.9 && agreeRoundRobin >= 0.9, $"greedy agreement with a single node: prefix routing {agreeAffinity:P1}, round-robin {agreeRoundRobin:P1}");
    }

    [Fact]
    public async Task Tools_formats_properties_and_errors_arrive_as_on_one_node()
    {
        using var redis = RedisServer.Start();
        await using var cluster = await StoryCluster.StartAsync(2, redis.ConnectionString);
        var client = ModelOf(cluster, 0);
        var local = cluster.Cluster.GetSiloServiceProvider(cluster.Cluster.GetActiveSilos().First().SiloAddress).GetRequiredService<LlamaChatClient>();
        ChatMessage[] ask = [new(ChatRole.System, StoryWorkload.System), new(ChatRole.User, "Where is the cat?")];

        // A required tool: its declaration travels, the answering node's grammar makes the call, arguments per schema.
        var schema = JsonDocument.Parse("""{"type":"object","properties":{"city":{"type":"string","maxLength":12}},"required":["city"]}""").RootElement;
        var tool = AIFunctionFactory.CreateDeclaration("find_cat", "Finds the cat", schema);
        var toolOptions = new ChatOptions { Tools = [tool], ToolMode = ChatToolMode.RequireSpecific("find_cat"), MaxOutputTokens = 100, Temperature = 0 };
        var called = await client.GetResponseAsync(ask, toolOptions);
        var calledHere = await local.GetResponseAsync(ask, toolOptions.Clone());
        var call = Assert.Single(called.Messages.SelectMany(m => m.Contents).OfType<FunctionCallContent>());
        Assert.Equal("find_cat", call.Name);
        Assert.True(call.Arguments!.TryGetValue("city", out var city));
        Assert.True(city?.ToString()?.Length <= 12, $"city '{city}' breaks maxLength");
        Assert.Equal(ChatFinishReason.ToolCalls, called.FinishReason);
        // The same call as the local engine makes (greedy), but for its fresh call id.
        var callHere = Assert.Single(calledHere.Messages.SelectMany(m => m.Contents).OfType<FunctionCallContent>());
        Assert.Equal(JsonSerializer.Serialize(callHere.Arguments), JsonSerializer.Serialize(call.Arguments));

        // A JSON schema answer, streamed: the grammar ran there, the text parses here.
        var format = ChatResponseFormat.ForJsonSchema(JsonDocument.Parse("""{"type":"object","properties":{"n":{"type":"integer"}},"required":["n"]}""").RootElement, "count");
        var json = await client.GetStreamingResponseAsync(ask, new ChatOptions { ResponseFormat = format, MaxOutputTokens = 24, Temperature = 0 }).ToChatResponseAsync();
        if (json.FinishReason == ChatFinishReason.Stop) Assert.Equal(JsonValueKind.Number, JsonDocument.Parse(json.Text).RootElement.GetProperty("n").ValueKind);
        else Assert.StartsWith("{", json.Text);

        // Properties both ways: top_logprobs (an int, read as one there), and the engine's log-probabilities and
        // timings back as their own types, equal to what the local engine gives for the same greedy request.
        var withLogprobs = new ChatOptions { MaxOutputTokens = 6, Temperature = 0, AdditionalProperties = new() { [LlamaChatProperties.TopLogprobs] = 2 } };
        var remote = await client.GetResponseAsync(ask, withLogprobs);
        var mine = await local.GetResponseAsync(ask, withLogprobs.Clone());
        var remoteLogprobs = Assert.IsAssignableFrom<IReadOnlyList<TokenLogprob>>(remote.AdditionalProperties![LlamaChatProperties.Logprobs]);
        var localLogprobs = Assert.IsAssignableFrom<IReadOnlyList<TokenLogprob>>(mine.AdditionalProperties![LlamaChatProperties.Logprobs]);
        Assert.Equal(localLogprobs.Select(l => (l.Token, l.TopLogprobs.Count)), remoteLogprobs.Select(l => (l.Token, l.TopLogprobs.Count)));
        Assert.All(remoteLogprobs, l => Assert.Equal(2, l.TopLogprobs.Count));
        Assert.Equal(mine.Text, remote.Text);
        Assert.IsType<GenerationTimings>(remote.AdditionalProperties[LlamaChatProperties.Timings]);

        // Errors: the same exceptions, with what they name.
        var tooLong = new ChatMessage(ChatRole.User, string.Join(' ', Enumerable.Repeat("The cat sat on the mat and looked at the big red ball.", 80)));
        var overflow = await Assert.ThrowsAsync<ContextOverflowException>(() => client.GetResponseAsync([tooLong], new ChatOptions { MaxOutputTokens = 4 }));
        Assert.Equal(512, overflow.ContextSize);
        Assert.True(overflow.PromptTokens > 512);
        var bad = await Assert.ThrowsAsync<InvalidGenerationRequestException>(async () =>
        {
            await foreach (var _ in client.GetStreamingResponseAsync(ask, new ChatOptions { MaxOutputTokens = 4, AdditionalProperties = new() { [LlamaChatProperties.TopLogprobs] = "two" } })) { }
        });
        Assert.Equal(LlamaChatProperties.TopLogprobs, bad.Parameter);
        Assert.Equal((await local.GetResponseAsync(ask, new ChatOptions { MaxOutputTokens = 4, Temperature = 0 })).Text,
            (await client.GetResponseAsync(ask, new ChatOptions { MaxOutputTokens = 4, Temperature = 0 })).Text);
    }
}
