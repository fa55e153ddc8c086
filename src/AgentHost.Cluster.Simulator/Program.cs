using System.Globalization;
using System.Text.Json;
using AgentHost.Cluster.Simulator;

// scripts/simulate-cluster: simulates 1..1,000 nodes with cache-affinity and round-robin routing and prints a
// Markdown table. Per-node costs come from --measure MODEL (measured here on the local engine) or from the flags.
var inv = CultureInfo.InvariantCulture;
var flags = new Dictionary<string, string>();
for (var i = 0; i < args.Length; i++)
{
    if (!args[i].StartsWith("--", StringComparison.Ordinal)) return Fail($"unexpected argument '{args[i]}'");
    var name = args[i][2..];
    if (name == "help") { Console.WriteLine(Help); return 0; }
    if (i + 1 >= args.Length) return Fail($"--{name} needs a value");
    flags[name] = args[++i];
}
var known = new HashSet<string> { "nodes", "measure", "threads", "slots", "prompt-tps", "gen-tps", "batch-tps", "kv-cache-tokens", "conversations-per-node", "turns", "system-tokens", "user-tokens", "reply-tokens", "think-seconds", "arrivals-per-node-per-second", "seed" };
foreach (var f in flags.Keys) if (!known.Contains(f)) return Fail($"unknown option --{f} (see --help)");

try
{
    double D(string key, double fallback) => flags.TryGetValue(key, out var v) ? double.TryParse(v, NumberStyles.Float, inv, out var d) && d > 0 ? d : throw new ArgumentException($"--{key} must be a positive number, got '{v}'") : fallback;
    int I(string key, int fallback) => flags.TryGetValue(key, out var v) ? int.TryParse(v, NumberStyles.Integer, inv, out var n) && n > 0 ? n : throw new ArgumentException($"--{key} must be a positive integer, got '{v}'") : fallback;

    var slots = I("slots", 4);
    var kv = (long)D("kv-cache-tokens", 64 * 1024);
    NodeCosts costs;
    if (flags.TryGetValue("measure", out var model))
    {
        if (!File.Exists(model)) throw new ArgumentException($"--measure: {model} does not exist");
        costs = await NodeCostMeasurement.MeasureAsync(model, slots, I("threads", 2), kv);
        Console.Error.WriteLine($"measured on {Path.GetFileName(model)}: " + JsonSerializer.Serialize(costs));
    }
    else
    {
        var d = new NodeCosts();
        costs = new NodeCosts
        {
            PromptTokensPerSecond = D("prompt-tps", d.PromptTokensPerSecond),
            GenerationTokensPerSecond = D("gen-tps", d.GenerationTokensPerSecond),
            BatchedGenerationTokensPerSecond = D("batch-tps", d.BatchedGenerationTokensPerSecond),
            Slots = slots,
            KvCacheTokens = kv,
        };
    }
    var w0 = new Workload();
    var workload = new Workload
    {
        ConversationsPerNode = I("conversations-per-node", w0.ConversationsPerNode),
        Turns = I("turns", w0.Turns),
        SystemTokens = I("system-tokens", w0.SystemTokens),
        UserTokens = I("user-tokens", w0.UserTokens),
        ReplyTokens = I("reply-tokens", w0.ReplyTokens),
        ThinkSeconds = D("think-seconds", w0.ThinkSeconds),
        ArrivalsPerNodePerSecond = D("arrivals-per-node-per-second", w0.ArrivalsPerNodePerSecond),
    };
    var nodes = (flags.GetValueOrDefault("nodes") ?? "1,10,100,1000").Split(',')
        .Select(n => int.TryParse(n, NumberStyles.Integer, inv, out var v) && v is >= 1 and <= 1000 ? v : throw new ArgumentException($"--nodes: each count must be 1..1000, got '{n}'")).ToList();
    var seed = I("seed", 1);

    Console.WriteLine($"Node: {costs.Slots} slots, pp {costs.PromptTokensPerSecond.ToString("F0", inv)} t/s, tg {costs.GenerationTokensPerSecond.ToString("F0", inv)} t/s (batch 1), {costs.BatchedGenerationTokensPerSecond.ToString("F0", inv)} t/s (batch {costs.Slots}), KV cache {costs.KvCacheTokens} tokens.");
    Console.WriteLine($"Workload: {workload.ConversationsPerNode} conversations per node x {workload.Turns} turns, system {workload.SystemTokens} + user {workload.UserTokens} + reply {workload.ReplyTokens} tokens per turn, think {workload.ThinkSeconds.ToString(inv)} s, {workload.ArrivalsPerNodePerSecond.ToString(inv)} new conversations per node per second, seed {seed}.");
    Console.WriteLine();
    Console.WriteLine("| nodes | routing | turns | prompt tokens | from cache | recomputed | recomputed history | TTFT p50 (ms) | TTFT p99 (ms) | conversations / node / hour |");
    Console.WriteLine("|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|");
    foreach (var n in nodes)
        foreach (var routing in new[] { SimulatedRouting.Affinity, SimulatedRouting.RoundRobin })
        {
            var r = ClusterSimulation.Run(n, costs, workload, routing, seed);
            Console.WriteLine(string.Create(inv, $"| {n} | {(routing == SimulatedRouting.Affinity ? "affinity" : "round-robin")} | {r.Turns} | {r.PromptTokens} | {r.CachedTokens} ({r.CachedTokens * 100.0 / r.PromptTokens:F1} %) | {r.RecomputedTokens} | {r.RecomputedHistoryTokens} | {r.TtftP50 * 1000:F1} | {r.TtftP99 * 1000:F1} | {r.ConversationsPerNodeHour:F0} |"));
        }
    return 0;
}
catch (ArgumentException ex)
{
    return Fail(ex.Message);
}

static int Fail(string message)
{
    Console.Error.WriteLine($"simulate-cluster: error: {message}");
    return 2;
}

partial class Program
{
    private const string Help = """
        simulate-cluster [--nodes 1,10,100,1000] [--measure MODEL.gguf [--threads 2]] [--slots 4]
                         [--prompt-tps N --gen-tps N --batch-tps N] [--kv-cache-tokens 65536]
                         [--conversations-per-node 40] [--turns 5] [--system-tokens 200] [--user-tokens 40]
                         [--reply-tokens 60] [--think-seconds 10] [--arrivals-per-node-per-second 0.5] [--seed 1]
        Simulates the nodes with cache-affinity and with round-robin routing; prints a Markdown table.
        """;
}
