using System.Text;
using System.Text.Json;
using AgentHost.Llama.Engine;
using AgentHost.Server.Errors;
using AgentHost.Server.Hosting;
using AgentHost.Server.Limits;
using AgentHost.Server.Mapping;
using AgentHost.Server.Metrics;
using AgentHost.Server.Protocol;
using AgentHost.Server.Streaming;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AgentHost.Server.Endpoints;

/// <summary>
/// POST /v1/completions: OpenAI's legacy text completions over the raw prompt (no chat template), straight on the
/// engine, so through the same scheduler, slots and prompt cache as chat. Several prompts are one choice each
/// (decoded together when not streamed, one after the other when streamed). As with chat, a stream starts only at
/// the first token, so a full queue or a prompt over the context is still an HTTP status.
/// </summary>
internal static class CompletionsEndpoint
{
    public static async Task HandleAsync(HttpContext context)
    {
        var services = context.RequestServices;
        var options = services.GetRequiredService<IOptions<ServerOptions>>().Value;
        var engine = services.GetRequiredService<LlamaEngine>();
        var names = services.GetRequiredService<ModelNames>();
        var metrics = services.GetRequiredService<ServerMetrics>();

        var body = await JsonRequestBodyReader.ReadAsync<CompletionRequest>(context, options.MaxRequestBodyBytes).ConfigureAwait(false);
        var modelId = names.Resolve(body.Model);
        var request = CompletionRequestMapper.Map(body, engine.Model, engine.Options.Defaults, options.MaxTokensLimit ?? engine.ContextSize, engine.ContextSize);
        var head = new Head("cmpl-" + Guid.NewGuid().ToString("N"), DateTimeOffset.UtcNow.ToUnixTimeSeconds(), modelId, names.SystemFingerprint);

        using var busy = metrics.BeginGeneration();
        if (request.Stream) await StreamAsync(context, engine, request, head, metrics, options.BusyRetryAfterSeconds).ConfigureAwait(false);
        else await CompleteAsync(context, engine, request, head, metrics).ConfigureAwait(false);
    }

    private sealed record Head(string Id, long Created, string Model, string Fingerprint);

    private sealed record Outcome(string Text, GenerationUpdate Final, List<TokenLogprob>? Logprobs);

    private static async Task CompleteAsync(HttpContext context, LlamaEngine engine, MappedCompletionRequest request, Head head, ServerMetrics metrics)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted);
        var outcomes = await Task.WhenAll(request.Prompts.Select(async prompt =>
        {
            try
            {
                var text = new StringBuilder();
                GenerationUpdate? last = null;
                await foreach (var update in engine.GenerateAsync(request.For(prompt) with { StreamTokens = false }, cts.Token).ConfigureAwait(false))
                {
                    text.Append(update.Text);
                    last = update;
                }
                return new Outcome(text.ToString(), last!, last!.Logprobs?.ToList());
            }
            catch
            {
                // One failed prompt fails the request; the others stop and free their slots.
                await cts.CancelAsync().ConfigureAwait(false);
                throw;
            }
        })).ConfigureAwait(false);

        var finals = outcomes.Select(o => o.Final).ToList();
        foreach (var f in finals) metrics.RecordTokens(f.PromptTokens - f.CachedPromptTokens, f.CompletionTokens);
        var response = new CompletionResponse
        {
            Id = head.Id,
            Created = head.Created,
            Model = head.Model,
            SystemFingerprint = head.Fingerprint,
            Choices = outcomes.Select((o, i) =>
            {
                var echo = request.Echo ? request.Prompts[i].Text : "";
                return new CompletionChoiceDto
                {
                    Text = echo + o.Text,
                    Index = i,
                    Logprobs = o.Logprobs is null ? null : LogprobsMapper.ToCompletion(o.Logprobs, echo.Length),
                    FinishReason = FinishReason(o.Final),
                };
            }).ToList(),
            Usage = Usage(finals),
            Timings = LogprobsMapper.ToTimings(Sum(finals)),
        };
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(JsonSerializer.Serialize(response, OpenAiJson.Options), context.RequestAborted).ConfigureAwait(false);
    }

    private static async Task StreamAsync(HttpContext context, LlamaEngine engine, MappedCompletionRequest request, Head head, ServerMetrics metrics, int retryAfterSeconds)
    {
        var aborted = context.RequestAborted;
        var sse = new ServerSentEventsWriter(context.Response);
        var finals = new List<GenerationUpdate>();
        try
        {
            for (var i = 0; i < request.Prompts.Count; i++)
            {
                var prompt = request.Prompts[i];
                await using var updates = engine.GenerateAsync(request.For(prompt), aborted).GetAsyncEnumerator(aborted);
                // Errors up to the first token of the first prompt (busy, bad request) become HTTP statuses.
                var hasUpdate = await updates.MoveNextAsync().ConfigureAwait(false);
                if (i == 0) await sse.StartAsync(aborted).ConfigureAwait(false);
                var echo = request.Echo ? prompt.Text : "";
                if (echo.Length > 0) await sse.WriteAsync(Chunk(head, new CompletionChoiceDto { Text = echo, Index = i }), aborted).ConfigureAwait(false);
                while (hasUpdate)
                {
                    var u = updates.Current;
                    var logprobs = u.Logprobs is { Count: > 0 } lp ? LogprobsMapper.ToCompletion(lp, echo.Length) : null;
                    if (u.FinishReason is not null)
                    {
                        finals.Add(u);
                        metrics.RecordTokens(u.PromptTokens - u.CachedPromptTokens, u.CompletionTokens);
                        await sse.WriteAsync(Chunk(head, new CompletionChoiceDto { Text = u.Text, Index = i, Logprobs = logprobs, FinishReason = FinishReason(u) }, LogprobsMapper.ToTimings(u.Timings)), aborted).ConfigureAwait(false);
                    }
                    else if (u.Text.Length > 0 || logprobs is not null)
                    {
                        await sse.WriteAsync(Chunk(head, new CompletionChoiceDto { Text = u.Text, Index = i, Logprobs = logprobs }), aborted).ConfigureAwait(false);
                    }
                    hasUpdate = await updates.MoveNextAsync().ConfigureAwait(false);
                }
            }
        }
        catch (Exception ex) when (!aborted.IsCancellationRequested && context.Response.HasStarted)
        {
            var error = ExceptionMapping.ToOpenAiError(ex, retryAfterSeconds);
            if (error.StatusCode >= 500)
                context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger("AgentHost.Server").LogError(ex, "Streaming completion failed");
            await sse.WriteErrorAsync(new OpenAiErrorDetail(error.Message, error.Type, error.Param, error.Code), aborted).ConfigureAwait(false);
            return;
        }
        if (request.IncludeUsage)
            await sse.WriteAsync(new CompletionResponse { Id = head.Id, Created = head.Created, Model = head.Model, SystemFingerprint = head.Fingerprint, Choices = [], Usage = Usage(finals), Timings = LogprobsMapper.ToTimings(Sum(finals)) }, aborted).ConfigureAwait(false);
        await sse.WriteDoneAsync(aborted).ConfigureAwait(false);
    }

    private static CompletionResponse Chunk(Head head, CompletionChoiceDto choice, TimingsDto? timings = null) => new()
    {
        Id = head.Id,
        Created = head.Created,
        Model = head.Model,
        SystemFingerprint = head.Fingerprint,
        Choices = [choice],
        Timings = timings,
    };

    private static string FinishReason(GenerationUpdate final) => final.FinishReason == GenerationFinishReason.Length ? "length" : "stop";

    private static UsageDto Usage(IReadOnlyCollection<GenerationUpdate> finals)
    {
        var prompt = finals.Sum(f => f.PromptTokens);
        var completion = finals.Sum(f => f.CompletionTokens);
        return new UsageDto
        {
            PromptTokens = prompt,
            CompletionTokens = completion,
            TotalTokens = prompt + completion,
            PromptTokensDetails = new PromptTokensDetailsDto { CachedTokens = finals.Sum(f => f.CachedPromptTokens) },
        };
    }

    /// <summary>One prompt's timings, or the sum over several.</summary>
    private static GenerationTimings? Sum(IReadOnlyCollection<GenerationUpdate> finals)
    {
        var all = finals.Select(f => f.Timings).OfType<GenerationTimings>().ToList();
        if (all.Count == 0) return null;
        return new GenerationTimings(all.Sum(t => t.CachedTokens), all.Sum(t => t.PromptTokens), all.Sum(t => t.PromptMs), all.Sum(t => t.GeneratedTokens), all.Sum(t => t.GenerationMs));
    }
}
