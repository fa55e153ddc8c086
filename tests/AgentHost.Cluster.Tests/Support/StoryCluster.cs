using System.Collections.Concurrent;
using System.Reflection;
using AgentHost.Cluster.Grains;
using AgentHost.Cluster.Options;
using AgentHost.Cluster.Routing;
using AgentHost.Hosting;
using AgentHost.Llama.Options;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Configuration;
using Orleans.TestingHost;

namespace AgentHost.Cluster.Tests.Support;

/// <summary>An Orleans TestingHost cluster whose silos each load their own engine on stories260K, with history in a real Redis or PostgreSQL.</summary>
internal sealed class StoryCluster : IAsyncDisposable
{
    private StoryCluster(InProcessTestCluster cluster) => Cluster = cluster;

    public InProcessTestCluster Cluster { get; }

    public static void Engine(LlamaOptions o)
    {
        o.ModelPath = TestAssets.Stories260K;
        o.ChatTemplate = "chatml";
        o.ContextSize = 512;
        o.Parallel = 4;
        o.Threads = 1;
        o.BatchSize = 512;
        o.PromptCacheMiB = 64;
        o.Defaults.Temperature = 0;
        o.Defaults.MaxTokens = StoryWorkload.Settings.MaxTokens;
    }

    /// <summary>The TestingHost's in-memory membership, history in the Redis at <paramref name="redis"/>.</summary>
    public static Task<StoryCluster> StartAsync(int silos, string redis) =>
        StartAsync(silos, new AgentHostClusterOptions { SessionStore = SessionStoreProvider.Redis, ConnectionString = redis });

    /// <summary>
    /// Membership and session store as <paramref name="backend"/> says, through the same
    /// <c>AddMembershipTable</c>/<c>AddSessionStore</c> a node uses: <see cref="ClusterProvider.Localhost"/> stands for
    /// the TestingHost's in-memory membership table, Redis or PostgreSQL for that shared table. A fixed
    /// <paramref name="serviceId"/> lets a later cluster read what an earlier one stored.
    /// </summary>
    public static async Task<StoryCluster> StartAsync(int silos, AgentHostClusterOptions backend, string? serviceId = null)
    {
        var builder = new InProcessTestClusterBuilder((short)silos);
        if (serviceId is not null) builder.Options.ServiceId = serviceId;
        if (backend.Provider != ClusterProvider.Localhost)
        {
            // The TestingHost registers its own membership table after the silo's configuration, which would win over
            // the real one; its switch is internal. Its client would find gateways only in that table: the tests enter
            // at the silos' routers instead.
            var useTestMembership = typeof(InProcessTestClusterOptions).GetProperty("UseTestClusterMembership", BindingFlags.Instance | BindingFlags.NonPublic | BindingFlags.Public)
                ?? throw new InvalidOperationException("Orleans.TestingHost no longer has InProcessTestClusterOptions.UseTestClusterMembership: see StoryCluster.StartAsync.");
            useTestMembership.SetValue(builder.Options, false);
            builder.Options.InitializeClientOnDeploy = false;
        }
        builder.ConfigureSiloHost((_, host) =>
        {
            host.Logging.SetMinimumLevel(LogLevel.Warning);
            host.Services.AddLlamaChatClient(configure: Engine);
            host.Services.AddAgentHostClusterOptions(configure: o => o.SummaryIntervalMs = 100);
            // A killed node is declared dead in seconds, not the production default of about a minute.
            host.Services.Configure<ClusterMembershipOptions>(o =>
            {
                o.ProbeTimeout = TimeSpan.FromSeconds(1);
                o.NumMissedProbesLimit = 2;
                o.NumVotesForDeathDeclaration = 1;
            });
        });
        builder.ConfigureSilo((_, silo) =>
        {
            if (backend.Provider != ClusterProvider.Localhost) silo.AddMembershipTable(backend);
            silo.AddSessionStore(backend);
            silo.AddAgentHostConversations();
        });
        var cluster = builder.Build();
        await cluster.DeployAsync();
        return new StoryCluster(cluster);
    }

    /// <summary>The router of the silo at <paramref name="index"/> (mod the live silos): requests enter the cluster there.</summary>
    public ConversationRouter Entry(int index) => EntryAt(index).Router;

    // Per silo: cancelled when KillAsync kills it, ending the calls that entered the cluster there.
    private readonly ConcurrentDictionary<string, CancellationTokenSource> _lifetimes = new();

    private (ConversationRouter Router, CancellationToken Lifetime) EntryAt(int index)
    {
        var silos = Cluster.GetActiveSilos().Where(s => !(_lifetimes.TryGetValue(s.Name, out var l) && l.IsCancellationRequested)).ToList();
        var silo = silos[index % silos.Count];
        return (Cluster.GetSiloServiceProvider(silo.SiloAddress).GetRequiredService<ConversationRouter>(), _lifetimes.GetOrAdd(silo.Name, _ => new()).Token);
    }

    /// <summary>
    /// Kills a silo as a crash would. A call that entered the cluster at that silo fails at once, as a crashed node's
    /// client connections drop, and is retried elsewhere: in-process, it would wait for a reply its dead silo can no
    /// longer receive.
    /// </summary>
    public async Task KillAsync(string siloName)
    {
        await _lifetimes.GetOrAdd(siloName, _ => new()).CancelAsync();
        await Cluster.KillSiloAsync(Cluster.Silos.First(s => s.Name == siloName));
    }

    public async ValueTask DisposeAsync()
    {
        await Cluster.DisposeAsync();
        foreach (var lifetime in _lifetimes.Values) lifetime.Dispose();
    }

    /// <summary>Runs one turn, retrying (same turn index, so nothing is stored twice) when the node it ran on is lost.</summary>
    private static async Task<(TurnResult Result, int Retries)> TurnAsync(Func<(ConversationRouter Router, CancellationToken Lifetime)> entry, string id, int conversation, int turn, ClusterRouting routing, int maxRetries = 0)
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                var text = new System.Text.StringBuilder();
                TurnChunk? final = null;
                var request = new TurnRequest { Messages = StoryWorkload.TurnMessages(conversation, turn), Settings = StoryWorkload.Settings, Turn = turn };
                var (router, lifetime) = entry();
                var chunks = router.SendAsync(id, request, routing, lifetime).GetAsyncEnumerator(lifetime);
                try
                {
                    // WaitAsync: the entry silo's end ends the wait even where the call itself does not see the token.
                    while (await chunks.MoveNextAsync().AsTask().WaitAsync(lifetime))
                    {
                        if (chunks.Current.Final) final = chunks.Current;
                        text.Append(chunks.Current.Text);
                    }
                }
                finally
                {
                    // Not an enumerator left waiting on a dead silo: disposing it would wait too.
                    if (!lifetime.IsCancellationRequested) await chunks.DisposeAsync();
                }
                if (final is null) throw new InvalidOperationException($"{id} turn {turn}: the stream ended without its final chunk.");
                return (new TurnResult(conversation, turn, text.ToString(), final.Node!, final.PromptTokens, final.CachedPromptTokens, final.CompletionTokens), attempt);
            }
            catch (Exception) when (attempt < maxRetries)
            {
                await Task.Delay(300);
            }
        }
    }

    /// <summary>30 conversations x 5 turns (or as given), each conversation's turns in order, conversations side by side; turn t of conversation c enters at silo c + t.</summary>
    public async Task<(List<TurnResult> Results, int Retries)> RunWorkloadAsync(string prefix, ClusterRouting routing, int maxRetries = 0, Func<int, TurnResult, Task>? afterTurn = null,
        int conversations = StoryWorkload.Conversations, int turns = StoryWorkload.Turns)
    {
        var results = new List<TurnResult>();
        var retries = 0;
        var done = 0;
        await Parallel.ForEachAsync(Enumerable.Range(0, conversations), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (c, _) =>
        {
            for (var t = 0; t < turns; t++)
            {
                var turn = t;
                var (result, r) = await TurnAsync(() => EntryAt(c + turn), $"{prefix}-{c}", c, turn, routing, maxRetries);
                lock (results) { results.Add(result); retries += r; }
                if (afterTurn is not null) await afterTurn(Interlocked.Increment(ref done), result);
            }
        });
        return (results, retries);
    }

    /// <summary>The same conversations on one engine, one after another: the replies a single node gives.</summary>
    public static async Task<Dictionary<(int, int), string>> SingleNodeRepliesAsync(int conversations = StoryWorkload.Conversations, int? maxTokens = null, Action<LlamaOptions>? configure = null) =>
        await SingleNodeRepliesAsync(Enumerable.Range(0, conversations), maxTokens, configure);

    /// <summary>The single node's replies to the conversations numbered <paramref name="conversations"/>.</summary>
    public static async Task<Dictionary<(int, int), string>> SingleNodeRepliesAsync(IEnumerable<int> conversations, int? maxTokens = null, Action<LlamaOptions>? configure = null)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddLlamaChatClient(configure: o => { Engine(o); configure?.Invoke(o); });
        await using var provider = services.BuildServiceProvider();
        var chat = provider.GetRequiredService<IChatClient>();
        var replies = new Dictionary<(int, int), string>();
        foreach (var c in conversations)
        {
            var history = new List<ChatMessage>();
            for (var t = 0; t < StoryWorkload.Turns; t++)
            {
                history.AddRange(StoryWorkload.TurnMessages(c, t).Select(m => new ChatMessage(new ChatRole(m.Role), m.Content)));
                var response = await chat.GetResponseAsync(history, new ChatOptions { MaxOutputTokens = maxTokens ?? StoryWorkload.Settings.MaxTokens, Temperature = 0 });
                replies[(c, t)] = response.Text;
                history.Add(new ChatMessage(ChatRole.Assistant, response.Text));
            }
        }
        return replies;
    }

    /// <summary>
    /// Share of each returning turn's history served from the node's cache: cached prompt tokens over what the
    /// previous turn left in the KV cache (its prompt and its reply). Min and mean over turns 2..5.
    /// </summary>
    public static (double Min, double Mean, long Recomputed) CacheShare(IEnumerable<TurnResult> results)
    {
        var shares = new List<double>();
        long recomputed = 0;
        foreach (var conversation in results.GroupBy(r => r.Conversation))
        {
            var turns = conversation.OrderBy(r => r.Turn).ToList();
            for (var i = 1; i < turns.Count; i++)
            {
                var history = turns[i - 1].PromptTokens + turns[i - 1].CompletionTokens;
                shares.Add(Math.Min(1.0, turns[i].CachedTokens / (double)history));
                recomputed += Math.Max(0, history - turns[i].CachedTokens);
            }
        }
        return (shares.Min(), shares.Average(), recomputed);
    }

    /// <summary>
    /// Share of replies equal to the single node's. Not 100%: llama.cpp's float results for a token depend on how
    /// its prompt was split between cached KV and newly evaluated batches (which other conversation shared the slot,
    /// which state was restored), and stories260K on chatml text has near-ties that such last-bit differences flip.
    /// </summary>
    public static double Agreement(IEnumerable<TurnResult> results, Dictionary<(int, int), string> single, Action<string> log)
    {
        var all = results.ToList();
        var same = all.Count(r => single[(r.Conversation, r.Turn)] == r.Reply);
        foreach (var r in all.Where(r => single[(r.Conversation, r.Turn)] != r.Reply).Take(5))
            log($"  differs: conversation {r.Conversation} turn {r.Turn}: single node '{single[(r.Conversation, r.Turn)]}', cluster '{r.Reply}'");
        return same / (double)all.Count;
    }
}
