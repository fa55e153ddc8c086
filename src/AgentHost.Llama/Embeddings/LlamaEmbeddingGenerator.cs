using AgentHost.Llama.Engine;
using AgentHost.Llama.Options;
using AgentHost.Native;
using Microsoft.Extensions.AI;

namespace AgentHost.Llama.Embeddings;

/// <summary>
/// <see cref="IEmbeddingGenerator{TInput, TEmbedding}"/> over a loaded <see cref="LlamaModel"/>: each input is
/// tokenized, run through a llama context of its own with embeddings on (the chat engine's context and KV cache are
/// not touched), and its per-token hidden states are mean-pooled, then L2-normalised (as OpenAI's embeddings are).
/// Thread-safe: inputs are embedded one at a time on the one context.
/// </summary>
public sealed class LlamaEmbeddingGenerator : IEmbeddingGenerator<string, Embedding<float>>
{
    // Every token of a chunk is an output, and llama.cpp reserves n_vocab logits per output as well as the
    // embedding; a small chunk bounds that buffer (64 x 152k-token vocabulary = 39 MB) at a small cost in calls.
    private const int ChunkTokens = 64;

    private readonly LlamaModel _model;
    private readonly LlamaOptions _options;
    private readonly bool _normalize;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly EmbeddingGeneratorMetadata _metadata;
    private SafeLlamaContextHandle? _context;
    private LlamaBatch? _batch;
    private bool _disposed;

    /// <param name="model">The loaded model; the caller keeps owning it.</param>
    /// <param name="options">ContextSize (most tokens per input), Threads and ModelId are used.</param>
    /// <param name="normalize">L2-normalise each vector (the default, like OpenAI and llama-server).</param>
    public LlamaEmbeddingGenerator(LlamaModel model, LlamaOptions options, bool normalize = true)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(options);
        _model = model;
        _options = options;
        _normalize = normalize;
        ModelId = options.ModelId ?? Path.GetFileNameWithoutExtension(model.Path);
        Dimensions = model.Handle.EmbeddingLength;
        _metadata = new EmbeddingGeneratorMetadata("agenthost-llama.cpp", new Uri("file://" + model.Path), ModelId, Dimensions);
    }

    /// <summary>Id reported in the embeddings and by the metadata.</summary>
    public string ModelId { get; }

    /// <summary>Length of every vector (the model's n_embd).</summary>
    public int Dimensions { get; }

    /// <summary>Most tokens one input may have.</summary>
    public int MaxInputTokens => _options.ContextSize;

    public async Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(IEnumerable<string> values, EmbeddingGenerationOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(values);
        var inputs = values.ToList();
        CheckOptions(options);
        // Tokenize (and so validate) every input before any decoding, so a bad one fails the call up front.
        var tokenized = inputs.Select((text, i) => Tokenize(text ?? throw new InvalidGenerationRequestException($"input[{i}]", "null is not a string"), i)).ToList();
        return await EmbedAllAsync(tokenized, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Embeds inputs given as token ids (OpenAI's token-array input). Every id is checked against the vocabulary
    /// before anything is decoded; no BOS is added (the ids are the input as given).
    /// </summary>
    /// <exception cref="InvalidGenerationRequestException">An input is empty or holds an id outside the vocabulary (names <c>input[i][j]</c>).</exception>
    public async Task<GeneratedEmbeddings<Embedding<float>>> GenerateFromTokensAsync(IReadOnlyList<IReadOnlyList<int>> inputs, EmbeddingGenerationOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        CheckOptions(options);
        var vocab = _model.VocabCount;
        var tokenized = new List<int[]>(inputs.Count);
        for (var i = 0; i < inputs.Count; i++)
        {
            var tokens = inputs[i]?.ToArray() ?? throw new InvalidGenerationRequestException($"input[{i}]", "null is not a token array");
            if (tokens.Length == 0) throw new InvalidGenerationRequestException($"input[{i}]", "the input has no tokens");
            for (var j = 0; j < tokens.Length; j++)
                if ((uint)tokens[j] >= (uint)vocab)
                    throw new InvalidGenerationRequestException($"input[{i}][{j}]", $"token id {tokens[j]} is outside the vocabulary (0..{vocab - 1})");
            if (tokens.Length > MaxInputTokens) throw new ContextOverflowException(tokens.Length, MaxInputTokens);
            tokenized.Add(tokens);
        }
        return await EmbedAllAsync(tokenized, cancellationToken).ConfigureAwait(false);
    }

    private void CheckOptions(EmbeddingGenerationOptions? options)
    {
        if (options?.Dimensions is { } dims && dims != Dimensions)
            throw new InvalidGenerationRequestException("dimensions", $"this model produces {Dimensions}-dimensional embeddings; {dims} was requested");
        if (options?.ModelId is { Length: > 0 } requested && !string.Equals(requested, ModelId, StringComparison.Ordinal))
            throw new InvalidGenerationRequestException("model", $"model '{requested}' is not loaded; this generator serves '{ModelId}'");
    }

    private async Task<GeneratedEmbeddings<Embedding<float>>> EmbedAllAsync(List<int[]> tokenized, CancellationToken cancellationToken)
    {
        var result = new GeneratedEmbeddings<Embedding<float>>(tokenized.Count);
        long totalTokens = 0;
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            // Native decoding blocks; keep it off the caller's (possibly request) thread.
            await Task.Run(() =>
            {
                EnsureContext();
                foreach (var tokens in tokenized)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    result.Add(new Embedding<float>(Embed(tokens)) { ModelId = ModelId, CreatedAt = DateTimeOffset.UtcNow });
                    totalTokens += tokens.Length;
                }
            }, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
        result.Usage = new UsageDetails { InputTokenCount = totalTokens, TotalTokenCount = totalTokens };
        return result;
    }

    private int[] Tokenize(string text, int index)
    {
        var tokens = _model.Tokenize(text, addSpecial: true, parseSpecial: false);
        if (tokens.Length == 0) throw new InvalidGenerationRequestException($"input[{index}]", "the input has no tokens");
        if (tokens.Length > MaxInputTokens) throw new ContextOverflowException(tokens.Length, MaxInputTokens);
        return tokens;
    }

    private void EnsureContext()
    {
        if (_context is not null) return;
        // Created on first use: a host that never embeds pays nothing for it.
        var parameters = _options.ToContextParameters(embeddings: true) with
        {
            ContextSize = (uint)_options.ContextSize,
            Sequences = 1,
            BatchSize = ChunkTokens,
            MicroBatchSize = ChunkTokens,
        };
        _context = SafeLlamaContextHandle.Create(_model.Handle, parameters);
        _batch = new LlamaBatch(ChunkTokens);
    }

    /// <summary>Mean of the hidden states of every token (causal attention, so the chunks see all earlier tokens).</summary>
    private float[] Embed(int[] tokens)
    {
        var context = _context!;
        var batch = _batch!;
        context.ClearMemory();
        var sum = new double[Dimensions];
        for (var start = 0; start < tokens.Length; start += ChunkTokens)
        {
            batch.Clear();
            var count = Math.Min(ChunkTokens, tokens.Length - start);
            for (var i = 0; i < count; i++) batch.Add(tokens[start + i], start + i, sequence: 0, wantLogits: true);
            var rc = context.Decode(batch);
            if (rc != DecodeResult.Ok) throw new LlamaException($"llama_decode failed while embedding ({rc}).");
            for (var i = 0; i < count; i++)
            {
                // A model with its own pooling (an embedding model) gives the pooled vector for every index; the
                // mean of identical vectors is that vector, so both kinds of model come out right.
                var vector = context.SequenceEmbedding(0, i) ?? throw new LlamaException("llama.cpp returned no embedding for the input.");
                for (var d = 0; d < sum.Length; d++) sum[d] += vector[d];
            }
        }
        var mean = new float[Dimensions];
        for (var d = 0; d < mean.Length; d++) mean[d] = (float)(sum[d] / tokens.Length);
        if (_normalize) Normalize(mean);
        return mean;
    }

    private static void Normalize(float[] vector)
    {
        double norm = 0;
        foreach (var v in vector) norm += (double)v * v;
        norm = Math.Sqrt(norm);
        if (norm <= 0) return;
        for (var i = 0; i < vector.Length; i++) vector[i] = (float)(vector[i] / norm);
    }

    public object? GetService(Type serviceType, object? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(serviceType);
        if (serviceKey is not null) return null;
        if (serviceType == typeof(EmbeddingGeneratorMetadata)) return _metadata;
        if (serviceType.IsInstanceOfType(this)) return this;
        if (serviceType.IsInstanceOfType(_model)) return _model;
        return null;
    }

    public void Dispose()
    {
        _gate.Wait();
        try
        {
            if (_disposed) return;
            _disposed = true;
            _batch?.Dispose();
            _context?.Dispose();
        }
        finally
        {
            _gate.Release();
        }
    }
}
