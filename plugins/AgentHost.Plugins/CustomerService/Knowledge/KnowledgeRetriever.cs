using System.Numerics.Tensors;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace AgentHost.Plugins.CustomerService.Knowledge;

/// <summary>How a search found its passages.</summary>
public enum RetrievalMode
{
    /// <summary>BM25 only (no embedding generator, or it failed).</summary>
    Keyword,

    /// <summary>Embedding similarity and BM25, fused by reciprocal rank.</summary>
    Hybrid,
}

public sealed record SearchHit(KnowledgePassage Passage, double Score, int? KeywordRank, int? VectorRank);

public sealed record SearchResult(IReadOnlyList<SearchHit> Hits, RetrievalMode Mode);

/// <summary>
/// Finds the passages that answer a question. With an <see cref="IEmbeddingGenerator{TInput, TEmbedding}"/> (the local
/// model's, from DI) passages are embedded once, on first use, and each query's cosine ranking is fused with the BM25
/// ranking (reciprocal rank fusion, k = 60), so an exact term such as an order number or policy name still counts.
/// Without a generator, or once it fails (a model that cannot embed), the BM25 index answers alone.
/// </summary>
public sealed class KnowledgeRetriever
{
    private const int RrfK = 60;
    private const int EmbeddingBatch = 16;

    private readonly KnowledgeBase _knowledge;
    private readonly Bm25Index _index;
    private readonly IEmbeddingGenerator<string, Embedding<float>>? _generator;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private float[][]? _vectors;
    private bool _embeddingsFailed;

    public KnowledgeRetriever(KnowledgeBase knowledge, IEmbeddingGenerator<string, Embedding<float>>? generator = null, ILogger<KnowledgeRetriever>? logger = null)
    {
        _knowledge = knowledge;
        _generator = generator;
        _logger = logger ?? (ILogger)NullLogger.Instance;
        _index = new Bm25Index(knowledge.Passages.Select(p => p.Source + "\n" + p.Text).ToList());
    }

    public KnowledgeBase Knowledge => _knowledge;

    /// <summary>Whether searches use embeddings (a generator is present and has not failed).</summary>
    public bool UsesEmbeddings => _generator is not null && !_embeddingsFailed;

    public async Task<SearchResult> SearchAsync(string query, int top, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(query);
        if (_knowledge.Passages.Count == 0) return new SearchResult([], RetrievalMode.Keyword);
        var keyword = _index.Search(query, Math.Max(top * 4, 20));
        var vector = await VectorSearchAsync(query, Math.Max(top * 4, 20), cancellationToken).ConfigureAwait(false);
        if (vector is null)
            return new SearchResult(keyword.Take(top).Select((k, i) => new SearchHit(_knowledge.Passages[k.Document], k.Score, i + 1, null)).ToList(), RetrievalMode.Keyword);

        var keywordRank = keyword.Select((k, i) => (k.Document, Rank: i + 1)).ToDictionary(x => x.Document, x => x.Rank);
        var vectorRank = vector.Select((v, i) => (v.Document, Rank: i + 1)).ToDictionary(x => x.Document, x => x.Rank);
        var fused = keywordRank.Keys.Union(vectorRank.Keys)
            .Select(d =>
            {
                var score = 0.0;
                if (keywordRank.TryGetValue(d, out var kr)) score += 1.0 / (RrfK + kr);
                if (vectorRank.TryGetValue(d, out var vr)) score += 1.0 / (RrfK + vr);
                return new SearchHit(_knowledge.Passages[d], score, keywordRank.TryGetValue(d, out var k2) ? k2 : null, vectorRank.TryGetValue(d, out var v2) ? v2 : null);
            })
            .OrderByDescending(h => h.Score).ThenBy(h => h.Passage.Index)
            .Take(top)
            .ToList();
        return new SearchResult(fused, RetrievalMode.Hybrid);
    }

    private async Task<IReadOnlyList<(int Document, double Score)>?> VectorSearchAsync(string query, int top, CancellationToken cancellationToken)
    {
        if (_generator is null || _embeddingsFailed) return null;
        try
        {
            var vectors = await EnsurePassageVectorsAsync(cancellationToken).ConfigureAwait(false);
            var q = (await _generator.GenerateAsync([query], cancellationToken: cancellationToken).ConfigureAwait(false))[0].Vector.ToArray();
            if (q.Length != vectors[0].Length) throw new InvalidOperationException($"query embedding has {q.Length} dimensions, passages {vectors[0].Length}");
            return vectors.Select((v, i) => (Document: i, Score: (double)TensorPrimitives.CosineSimilarity(q, v)))
                .OrderByDescending(x => x.Score).ThenBy(x => x.Document)
                .Take(top)
                .ToList();
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // A model without usable embeddings must not take retrieval down: the keyword index still answers.
            _embeddingsFailed = true;
            _logger.LogWarning(ex, "Embedding retrieval failed; the knowledge base falls back to keyword (BM25) search.");
            return null;
        }
    }

    private async Task<float[][]> EnsurePassageVectorsAsync(CancellationToken cancellationToken)
    {
        if (_vectors is { } ready) return ready;
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_vectors is { } done) return done;
            var texts = _knowledge.Passages.Select(p => p.Source + "\n" + p.Text).ToList();
            var vectors = new List<float[]>(texts.Count);
            for (var i = 0; i < texts.Count; i += EmbeddingBatch)
            {
                var batch = await _generator!.GenerateAsync(texts.Skip(i).Take(EmbeddingBatch), cancellationToken: cancellationToken).ConfigureAwait(false);
                vectors.AddRange(batch.Select(e => e.Vector.ToArray()));
            }
            if (vectors.Count != texts.Count) throw new InvalidOperationException($"the generator returned {vectors.Count} embeddings for {texts.Count} passages");
            _logger.LogInformation("Embedded {Count} knowledge-base passages.", vectors.Count);
            return _vectors = vectors.ToArray();
        }
        finally
        {
            _gate.Release();
        }
    }
}
