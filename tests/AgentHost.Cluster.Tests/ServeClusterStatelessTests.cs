using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using AgentHost.Cluster.Tests.Support;
using Anthropic;
using Anthropic.Core;
using Anthropic.Models.Messages;
using Xunit.Abstractions;

namespace AgentHost.Cluster.Tests;

/// <summary>
/// Requests without a conversation id on three real `agenthost serve --cluster` processes (Redis clustering): the
/// official Anthropic SDK and plain OpenAI chat completions sending the whole history to a random node each turn,
/// and a Responses chain (previous_response_id). Each model call runs on the node whose cache shares the longest
/// prefix of its prompt, whichever node it entered at.
/// </summary>
public sealed class ServeClusterStatelessTests(ITestOutputHelper output)
{
    private const int Conversations = 12;
    private const int MaxTokens = 16;
    private const int ContextSize = 1024;
    private static readonly TimeSpan ThinkTime = TimeSpan.FromMilliseconds(400);

    private sealed record Turn(int Conversation, int Index, string Reply, string? Node, int Input, int Cached, int Output);

    [Fact]
    public async Task Anthropic_OpenAI_and_Responses_requests_entering_any_node_run_where_their_prefix_is_cached()
    {
        var clock = Stopwatch.StartNew();
        using var redis = RedisServer.Start();
        var environment = new Dictionary<string, string>(ClusterNodeProcess.EngineEnvironment(MaxTokens))
        {
            ["AGENTHOST_Llama__ContextSize"] = ContextSize.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        var nodes = new List<ClusterNodeProcess>();
        try
        {
            for (var i = 0; i < 3; i++) nodes.Add(ClusterNodeProcess.Start(redis.ConnectionString, environment));
            await Task.WhenAll(nodes.Select(n => n.WaitServingAsync(TimeSpan.FromSeconds(90))));
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(60) };
            using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(4));
            await ServeClusterProcessTests.WaitForClusterAsync(new HttpConversationClient(http), nodes, cts.Token);
            var model = (await http.GetFromJsonAsync<JsonObject>(nodes[0].BaseUrl + "/v1/models", cts.Token))!["data"]![0]!["id"]!.GetValue<string>();
            var random = new Random(7);
            ClusterNodeProcess Any() { lock (random) return nodes[random.Next(nodes.Count)]; }

            // The Anthropic SDK, stateless: the whole history each turn, to a random node (greedy: the nodes' default temperature is 0).
            var anthropic = await RunAsync(0, async (c, t, history) =>
            {
                var client = new AnthropicClient(new ClientOptions { BaseUrl = Any().BaseUrl, ApiKey = "unused", MaxRetries = 0, Timeout = TimeSpan.FromSeconds(60) });
                var message = await client.Messages.Create(new MessageCreateParams
                {
                    Model = model,
                    MaxTokens = MaxTokens,
                    System = StoryWorkload.System,
                    Messages = [.. history.Select(m => m.Role == "user" ? (MessageParam)new UserMessageParam(m.Content) : new AssistantMessageParam(m.Content))],
                }, cts.Token);
                var text = string.Concat(message.Content.Select(b => b.TryPickText(out var block) ? block.Text : ""));
                return new Turn(c, t, text, null, (int)message.Usage.InputTokens, (int)(message.Usage.CacheReadInputTokens ?? 0), (int)message.Usage.OutputTokens);
            });

            // OpenAI chat completions without X-Conversation-Id (other conversations, so nothing above is in the way).
            var openAi = await RunAsync(100, async (c, t, history) =>
            {
                var body = new JsonObject
                {
                    ["messages"] = new JsonArray([new JsonObject { ["role"] = "system", ["content"] = StoryWorkload.System },
                        .. history.Select(m => (JsonNode)new JsonObject { ["role"] = m.Role, ["content"] = m.Content })]),
                    ["max_tokens"] = MaxTokens,
                    ["temperature"] = 0,
                };
                using var response = await http.PostAsJsonAsync(Any().BaseUrl + "/v1/chat/completions", body, cts.Token);
                response.EnsureSuccessStatusCode();
                var json = (await response.Content.ReadFromJsonAsync<JsonObject>(cts.Token))!;
                var usage = json["usage"]!;
                return new Turn(c, t, json["choices"]![0]!["message"]!["content"]!.GetValue<string>(), response.Headers.GetValues("X-AgentHost-Node").Single(),
                    usage["prompt_tokens"]!.GetValue<int>(), usage["prompt_tokens_details"]?["cached_tokens"]?.GetValue<int>() ?? 0, usage["completion_tokens"]!.GetValue<int>());
            });

            // Responses: a chain (previous_response_id) kept by the node it entered at; its model calls go where the cache is.
            var previous = new Dictionary<int, string>();
            var responses = await RunAsync(200, async (c, t, history) =>
            {
                var body = new JsonObject
                {
                    ["model"] = model,
                    ["input"] = history[^1].Content,
                    ["max_output_tokens"] = MaxTokens,
                    ["temperature"] = 0,
                };
                // Instructions hold for one response only (as OpenAI's do), so every turn sends them.
                body["instructions"] = StoryWorkload.System;
                lock (previous) if (previous.TryGetValue(c, out var id)) body["previous_response_id"] = id;
                using var response = await http.PostAsJsonAsync(nodes[c % nodes.Count].BaseUrl + "/v1/responses", body, cts.Token);
                var json = (await response.Content.ReadFromJsonAsync<JsonObject>(cts.Token))!;
                Assert.True(response.IsSuccessStatusCode, json.ToJsonString());
                lock (previous) previous[c] = json["id"]!.GetValue<string>();
                var text = string.Concat(json["output"]!.AsArray().Where(o => o!["type"]!.GetValue<string>() == "message")
                    .SelectMany(o => o!["content"]!.AsArray()).Select(p => p!["text"]?.GetValue<string>() ?? ""));
                var usage = json["usage"]!;
                return new Turn(c, t, text, null, usage["input_tokens"]!.GetValue<int>(), usage["input_tokens_details"]!["cached_tokens"]!.GetValue<int>(), usage["output_tokens"]!.GetValue<int>());
            }, conversations: 6);
            output.WriteLine($"{anthropic.Count + openAi.Count + responses.Count} requests in {clock.Elapsed.TotalSeconds:0.0} s");

            foreach (var (name, turns) in new[] { ("Anthropic SDK", anthropic), ("OpenAI chat", openAi), ("Responses", responses) })
            {
                var (min, mean) = CacheShare(turns);
                output.WriteLine($"{name}: history from cache on returning turns min {min:P1}, mean {mean:P1}");
                Assert.True(min >= 0.95, $"{name}: a returning turn had only {min:P1} of its history from cache");
                Assert.All(turns, t => Assert.True(t.Input > 0 && t.Output > 0, $"{name} {t.Conversation}/{t.Index}: no usage"));
            }
            // Each conversation stayed on the node that answered its first turn, though its turns entered anywhere.
            Assert.All(openAi.GroupBy(t => t.Conversation), g => Assert.Single(g.Select(t => t.Node).Distinct()));
            var nodesUsed = openAi.Select(t => t.Node).Distinct().Count();
            output.WriteLine($"OpenAI chat conversations over {nodesUsed} nodes");

            // Greedy replies are one engine's (the system prompt, then the turns: the same prompt on every protocol).
            var single = await StoryCluster.SingleNodeRepliesAsync([.. Enumerable.Range(0, Conversations), .. Enumerable.Range(100, Conversations), .. Enumerable.Range(200, 6)], MaxTokens, o => o.ContextSize = ContextSize);
            foreach (var (name, turns) in new[] { ("Anthropic SDK", anthropic), ("OpenAI chat", openAi), ("Responses", responses) })
            {
                var same = turns.Count(t => single[(t.Conversation, t.Index)] == t.Reply);
                foreach (var t in turns.Where(t => single[(t.Conversation, t.Index)] != t.Reply).Take(3))
                    output.WriteLine($"  {name} differs: {t.Conversation}/{t.Index}: single node '{single[(t.Conversation, t.Index)]}', cluster '{t.Reply}'");
                output.WriteLine($"{name}: greedy replies equal to a single node's: {same} of {turns.Count}");
                Assert.True(same >= 0.9 * turns.Count, $"{name}: greedy agreement with a single node {same} of {turns.Count}");
            }
        }
        catch
        {
            foreach (var n in nodes) output.WriteLine($"--- {n.Name} log (tail) ---\n{ServeClusterProcessTests.Tail(n.Log)}");
            throw;
        }
        finally
        {
            foreach (var n in nodes) await n.DisposeAsync();
        }
    }

    /// <summary>Conversations first.. side by side, each one's <see cref="StoryWorkload"/> turns in order with think time between.</summary>
    private static async Task<List<Turn>> RunAsync(int first, Func<int, int, List<(string Role, string Content)>, Task<Turn>> send, int conversations = Conversations)
    {
        var turns = new List<Turn>();
        await Parallel.ForEachAsync(Enumerable.Range(first, conversations), new ParallelOptions { MaxDegreeOfParallelism = 6 }, async (c, ct) =>
        {
            var history = new List<(string Role, string Content)>();
            for (var t = 0; t < StoryWorkload.Turns; t++)
            {
                history.Add(("user", StoryWorkload.UserMessage(c, t)));
                var turn = await send(c, t, history);
                lock (turns) turns.Add(turn);
                history.Add(("assistant", turn.Reply));
                await Task.Delay(ThinkTime, ct);
            }
        });
        return turns;
    }

    /// <summary>Cached prompt tokens of each returning turn over what the turn before left in the cache (its prompt and reply).</summary>
    private static (double Min, double Mean) CacheShare(List<Turn> turns)
    {
        var shares = new List<double>();
        foreach (var g in turns.GroupBy(t => t.Conversation))
        {
            var ordered = g.OrderBy(t => t.Index).ToList();
            for (var i = 1; i < ordered.Count; i++)
                shares.Add(Math.Min(1.0, ordered[i].Cached / (double)(ordered[i - 1].Input + ordered[i - 1].Output)));
        }
        return (shares.Min(), shares.Average());
    }
}
