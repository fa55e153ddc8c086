namespace AgentHost.Plugins.CustomerService.Knowledge;

/// <summary>
/// Okapi BM25 over a fixed set of documents: score(d, q) = Σ idf(t) · tf·(k1+1) / (tf + k1·(1 − b + b·|d|/avgdl)),
/// idf(t) = ln(1 + (N − df + 0.5)/(df + 0.5)). Terms come from <see cref="KeywordTokenizer"/>.
/// </summary>
public sealed class Bm25Index
{
    private readonly Dictionary<string, List<(int Document, int Frequency)>> _postings = new(StringComparer.Ordinal);
    private readonly int[] _lengths;
    private readonly double _averageLength;
    private readonly double _k1;
    private readonly double _b;

    public Bm25Index(IReadOnlyList<string> documents, double k1 = 1.2, double b = 0.75)
    {
        ArgumentNullException.ThrowIfNull(documents);
        _k1 = k1;
        _b = b;
        _lengths = new int[documents.Count];
        for (var d = 0; d < documents.Count; d++)
        {
            var terms = KeywordTokenizer.Tokenize(documents[d]);
            _lengths[d] = terms.Count;
            foreach (var group in terms.GroupBy(t => t, StringComparer.Ordinal))
            {
                if (!_postings.TryGetValue(group.Key, out var list)) _postings[group.Key] = list = [];
                list.Add((d, group.Count()));
            }
        }
        _averageLength = documents.Count == 0 ? 0 : Math.Max(1, _lengths.Average());
    }

    public int DocumentCount => _lengths.Length;

    /// <summary>Inverse document frequency of a (tokenized) term; 0 for a term no document has.</summary>
    public double Idf(string term)
    {
        if (!_postings.TryGetValue(term, out var list)) return 0;
        var n = _lengths.Length;
        var df = list.Count;
        return Math.Log(1 + (n - df + 0.5) / (df + 0.5));
    }

    /// <summary>Documents with a positive score, best first (ties by document order).</summary>
    public IReadOnlyList<(int Document, double Score)> Search(string query, int top)
    {
        var scores = new Dictionary<int, double>();
        foreach (var term in KeywordTokenizer.Tokenize(query).Distinct(StringComparer.Ordinal))
        {
            if (!_postings.TryGetValue(term, out var list)) continue;
            var idf = Idf(term);
            foreach (var (doc, tf) in list)
            {
                var norm = tf + _k1 * (1 - _b + _b * _lengths[doc] / _averageLength);
                scores[doc] = scores.GetValueOrDefault(doc) + idf * tf * (_k1 + 1) / norm;
            }
        }
        return scores.Where(kv => kv.Value > 0)
            .OrderByDescending(kv => kv.Value).ThenBy(kv => kv.Key)
            .Take(top)
            .Select(kv => (kv.Key, kv.Value))
            .ToList();
    }
}
