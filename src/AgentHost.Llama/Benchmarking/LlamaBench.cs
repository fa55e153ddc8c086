using System.Diagnostics;
using AgentHost.Llama.Engine;
using AgentHost.Native;

namespace AgentHost.Llama.Benchmarking;

/// <summary>One llama-bench style measurement: mean and standard deviation over repetitions.</summary>
public sealed record BenchFigure(int Tokens, double MeanTokensPerSecond, double StdDevTokensPerSecond, IReadOnlyList<double> Samples);

/// <summary>Results of <see cref="LlamaBench.Run"/>.</summary>
public sealed record BenchResult(string Model, string Backend, int Threads, BenchFigure PromptProcessing, BenchFigure Generation);

/// <summary>
/// Prompt-processing and generation throughput through the full engine path (scheduler, sampler, detokenizer),
/// measured like llama.cpp's llama-bench: a random-token prompt evaluated in one batch (pp), and single-token
/// generation steps (tg), each repeated after a warm-up run, reported as mean ± stddev tokens/s.
/// </summary>
public static class LlamaBench
{
    /// <param name="generationSampling">Sampling of the tg runs (e.g. with a grammar, to measure constrained generation); greedy when null.</param>
    public static async Task<BenchResult> Run(LlamaEngine engine, int promptTokens, int genTokens, int repetitions, CancellationToken cancellationToken = default,
        SamplerSettings? generationSampling = null)
    {
        if (promptTokens < 0 || genTokens < 0 || promptTokens + genTokens == 0) throw new ArgumentException("Give a positive number of prompt and/or generation tokens.");
        if (repetitions <= 0) throw new ArgumentOutOfRangeException(nameof(repetitions), repetitions, "At least one repetition.");
        if (promptTokens + genTokens + 1 >= engine.ContextSize)
            throw new ContextOverflowException(promptTokens + genTokens + 1, engine.ContextSize);
        var random = new Random(1234);
        var vocab = engine.Model.VocabCount;
        var pp = new List<double>();
        var tg = new List<double>();

        // Warm-up (not counted), then the measured repetitions. Each prompt starts with a fresh random token so no
        // run reuses another's KV cache.
        for (var rep = -1; rep < repetitions; rep++)
        {
            if (promptTokens > 0)
            {
                var prompt = RandomTokens(random, vocab, promptTokens);
                var sw = Stopwatch.StartNew();
                await foreach (var _ in engine.GenerateAsync(Request(prompt, 1, null), cancellationToken).ConfigureAwait(false)) { }
                if (rep >= 0) pp.Add(promptTokens / sw.Elapsed.TotalSeconds);
            }
            if (genTokens > 0)
            {
                // llama-bench's tg starts from a single token; the clock starts at the first generated token.
                var prompt = RandomTokens(random, vocab, 1);
                long start = 0;
                var count = 0;
                await foreach (var u in engine.GenerateAsync(Request(prompt, genTokens + 1, generationSampling), cancellationToken).ConfigureAwait(false))
                {
                    if (u.Token is null) continue;
                    if (count++ == 0) start = Stopwatch.GetTimestamp();
                }
                if (rep >= 0) tg.Add(genTokens / Stopwatch.GetElapsedTime(start).TotalSeconds);
            }
        }
        var selection = LlamaNativeLibrary.Selection;
        return new BenchResult(Path.GetFileName(engine.Model.Path), selection?.Backend.ToString() ?? "?", engine.Options.Threads > 0 ? engine.Options.Threads : Environment.ProcessorCount,
            Figure(promptTokens, pp), Figure(genTokens, tg));
    }

    private static GenerationRequest Request(int[] prompt, int maxTokens, SamplerSettings? sampling) => new()
    {
        PromptTokens = prompt,
        MaxTokens = maxTokens,
        IgnoreEndOfGeneration = true,
        Sampling = sampling ?? new SamplerSettings { Temperature = 0 },
    };

    private static int[] RandomTokens(Random random, int vocab, int n)
    {
        var tokens = new int[n];
        for (var i = 0; i < n; i++) tokens[i] = random.Next(vocab);
        return tokens;
    }

    private static BenchFigure Figure(int tokens, List<double> samples)
    {
        if (samples.Count == 0) return new BenchFigure(tokens, 0, 0, samples);
        var mean = samples.Average();
        var sd = samples.Count > 1 ? Math.Sqrt(samples.Sum(s => (s - mean) * (s - mean)) / (samples.Count - 1)) : 0;
        return new BenchFigure(tokens, mean, sd, samples);
    }
}
