using System.Globalization;
using System.Text;
using AgentHost.Llama.Engine;

namespace AgentHost.Server.Metrics;

/// <summary>
/// The Prometheus text exposition format (version 0.0.4) of the engine's and the server's counters: tokens/s, queue
/// length, busy slots, prompt-cache hits, requests by status.
/// </summary>
internal static class PrometheusTextWriter
{
    public const string ContentType = "text/plain; version=0.0.4; charset=utf-8";

    public static string Write(LlamaEngine engine, ServerMetrics server)
    {
        var text = new StringBuilder();
        var evaluated = engine.PromptTokensEvaluated;
        var cached = engine.PromptTokensFromCache;

        Metric(text, "agenthost_prompt_tokens_total", "counter", "Prompt tokens evaluated by the engine (not served from the KV cache).", evaluated);
        Metric(text, "agenthost_prompt_tokens_cached_total", "counter", "Prompt tokens served from a slot's KV cache (prompt-cache hits).", cached);
        Metric(text, "agenthost_prompt_cache_hit_ratio", "gauge", "Share of all prompt tokens served from the KV cache.",
            evaluated + cached > 0 ? (double)cached / (evaluated + cached) : 0);
        Metric(text, "agenthost_prompt_states_saved_total", "counter", "Conversation KV states saved when another request took their slot.", engine.PromptStatesSaved);
        Metric(text, "agenthost_prompt_states_restored_total", "counter", "Saved KV states restored for a returning conversation.", engine.PromptStatesRestored);
        Metric(text, "agenthost_tokens_generated_total", "counter", "Tokens sampled by the engine.", engine.TokensGenerated);
        Metric(text, "agenthost_generation_tokens_per_second", "gauge", "Average completion tokens per second of chat responses while at least one chat request was in flight.", server.GenerationTokensPerSecond);
        Metric(text, "agenthost_prompt_tokens_per_second", "gauge", "Average evaluated prompt tokens per second of chat responses while at least one chat request was in flight.", server.PromptTokensPerSecond);
        Metric(text, "agenthost_generation_busy_seconds_total", "counter", "Seconds during which at least one chat request was in flight.", server.GenerationBusySeconds);
        Metric(text, "agenthost_queue_length", "gauge", "Requests waiting for a free slot.", engine.QueueLength);
        Metric(text, "agenthost_busy_slots", "gauge", "Slots decoding a request now.", engine.BusySlots);
        Metric(text, "agenthost_slots", "gauge", "Slots (parallel sequences) of the engine.", engine.SlotCount);
        Metric(text, "agenthost_requests_in_flight", "gauge", "HTTP requests being served now.", server.RequestsInFlight);

        Header(text, "agenthost_requests_total", "counter", "HTTP requests answered, by endpoint and status (0: the client went away).");
        foreach (var ((endpoint, status), count) in server.Requests.OrderBy(r => r.Key.Endpoint, StringComparer.Ordinal).ThenBy(r => r.Key.Status))
            text.Append(CultureInfo.InvariantCulture, $"agenthost_requests_total{{endpoint=\"{endpoint}\",code=\"{status}\"}} {count}\n");
        return text.ToString();
    }

    private static void Header(StringBuilder text, string name, string type, string help) =>
        text.Append("# HELP ").Append(name).Append(' ').Append(help).Append('\n')
            .Append("# TYPE ").Append(name).Append(' ').Append(type).Append('\n');

    private static void Metric(StringBuilder text, string name, string type, string help, double value)
    {
        Header(text, name, type, help);
        text.Append(name).Append(' ').Append(value.ToString("R", CultureInfo.InvariantCulture)).Append('\n');
    }
}
