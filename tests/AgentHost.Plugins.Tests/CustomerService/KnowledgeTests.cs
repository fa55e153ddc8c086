using AgentHost.Plugins.CustomerService.Knowledge;
using Microsoft.Extensions.AI;

namespace AgentHost.Plugins.Tests.CustomerService;

public class KnowledgeTests
{
    internal static readonly string SampleKnowledge = Path.Combine(TestAssets.RepoRoot, "samples", "CustomerServiceBot", "knowledge");

    [Fact]
    public void SampleDocumentsSplitIntoPassagesAtHeadings()
    {
        var kb = KnowledgeBase.LoadDirectory(SampleKnowledge);
        Assert.Equal(["account-and-payments", "contact-and-escalation", "faq-zh", "returns-and-refunds", "shipping", "warranty"], kb.Documents.Select(d => d.Id));
        Assert.Contains(kb.Passages, p => p.Source == "Returns and refunds › Refund timing" && p.Text.Contains("5–10 business days", StringComparison.Ordinal));
        Assert.Contains(kb.Passages, p => p.Source == "Shipping policy" && p.Text.StartsWith("Northwind Outfitters ships", StringComparison.Ordinal));
        Assert.All(kb.Passages, p => Assert.True(p.Text.Length <= KnowledgeBase.MaxPassageCharacters));
        Assert.Equal(Enumerable.Range(0, kb.Passages.Count), kb.Passages.Select(p => p.Index));
    }

    [Fact]
    public void AMissingFolderNamesTheSetting()
    {
        var ex = Assert.Throws<DirectoryNotFoundException>(() => KnowledgeBase.LoadDirectory("/nonexistent/kb"));
        Assert.Contains("Plugins:CustomerService:KnowledgeBaseDirectory", ex.Message);
    }

    [Theory]
    [InlineData("How long does a refund take to reach my card?", "Returns and refunds › Refund timing")]
    [InlineData("where is my tracking number", "Shipping policy › Tracking your order")]
    [InlineData("my tent zipper broke, is that covered", "Warranty › Coverage")]
    [InlineData("I was charged twice", "Account and payments › Billing problems")]
    [InlineData("can I talk to a human person", "Contacting support › Talking to a person")]
    [InlineData("退款需要多久", "常见问题（中文） › 退货和退款")]
    [InlineData("商品损坏怎么办", "常见问题（中文） › 商品损坏")]
    public async Task KeywordSearchFindsTheRightPassage(string query, string source)
    {
        var retriever = new KnowledgeRetriever(KnowledgeBase.LoadDirectory(SampleKnowledge));
        var result = await retriever.SearchAsync(query, 3);
        Assert.Equal(RetrievalMode.Keyword, result.Mode);
        Assert.Equal(source, result.Hits[0].Passage.Source);
    }

    [Fact]
    public void Bm25RewardsRareTermsAndTermFrequencyAndPenalisesLength()
    {
        var index = new Bm25Index(["apple banana", "apple apple banana", "banana cherry", "apple banana cherry durian elderberry fig grape"]);
        Assert.True(index.Idf("durian") > index.Idf("cherry"));
        Assert.True(index.Idf("cherry") > index.Idf("banana"));
        var apple = index.Search("apple", 10);
        Assert.Equal([1, 0, 3], apple.Select(h => h.Document)); // tf 2 first; the long document last
        Assert.Empty(index.Search("kiwi", 10));
        Assert.Equal(3, index.Search("durian cherry", 10)[0].Document);
    }

    [Theory]
    [InlineData("Returns", "return")]
    [InlineData("shipped", "ship")]
    [InlineData("shipping", "ship")]
    [InlineData("deliveries", "delivery")]
    [InlineData("class", "class")]
    public void TheStemmerFoldsInflections(string word, string stem) => Assert.Equal(stem, KeywordTokenizer.Stem(word.ToLowerInvariant()));

    [Fact]
    public void ChineseIsIndexedAsCharactersAndBigrams() =>
        Assert.Equal(["退", "退款", "款", "refund"], KeywordTokenizer.Tokenize("退款 refunds"));

    /// <summary>Bag-of-words vectors: a deterministic embedding where texts sharing words are similar.</summary>
    private sealed class HashingEmbeddings : IEmbeddingGenerator<string, Embedding<float>>
    {
        public int Calls;
        public int Inputs;

        public Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(IEnumerable<string> values, EmbeddingGenerationOptions? options = null, CancellationToken cancellationToken = default)
        {
            Interlocked.Increment(ref Calls);
            var result = new GeneratedEmbeddings<Embedding<float>>();
            foreach (var v in values)
            {
                Interlocked.Increment(ref Inputs);
                var vector = new float[1024];
                foreach (var term in KeywordTokenizer.Tokenize(v)) vector[(int)((uint)StringComparer.Ordinal.GetHashCode(term) % 1024)] += 1;
                result.Add(new Embedding<float>(vector));
            }
            return Task.FromResult(result);
        }

        public object? GetService(Type serviceType, object? serviceKey = null) => null;
        public void Dispose() { }
    }

    private sealed class FailingEmbeddings : IEmbeddingGenerator<string, Embedding<float>>
    {
        public int Calls;

        public Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(IEnumerable<string> values, EmbeddingGenerationOptions? options = null, CancellationToken cancellationToken = default)
        {
            Interlocked.Increment(ref Calls);
            throw new NotSupportedException("this model has no embeddings");
        }

        public object? GetService(Type serviceType, object? serviceKey = null) => null;
        public void Dispose() { }
    }

    [Fact]
    public async Task WithAnEmbeddingGeneratorSearchIsHybridAndPassagesAreEmbeddedOnce()
    {
        var embeddings = new HashingEmbeddings();
        var kb = KnowledgeBase.LoadDirectory(SampleKnowledge);
        var retriever = new KnowledgeRetriever(kb, embeddings);
        var first = await retriever.SearchAsync("How long does a refund take?", 3);
        var second = await retriever.SearchAsync("tracking number for my parcel", 3);
        Assert.Equal(RetrievalMode.Hybrid, first.Mode);
        Assert.Equal("Returns and refunds › Refund timing", first.Hits[0].Passage.Source);
        Assert.Equal("Shipping policy › Tracking your order", second.Hits[0].Passage.Source);
        Assert.All(first.Hits, h => Assert.True(h.KeywordRank is not null || h.VectorRank is not null));
        Assert.NotNull(first.Hits[0].VectorRank);
        Assert.Equal(kb.Passages.Count + 2, embeddings.Inputs); // passages once, then one vector per query
    }

    [Fact]
    public async Task AGeneratorThatFailsFallsBackToKeywordSearchForGood()
    {
        var embeddings = new FailingEmbeddings();
        var retriever = new KnowledgeRetriever(KnowledgeBase.LoadDirectory(SampleKnowledge), embeddings);
        var first = await retriever.SearchAsync("refund timing", 3);
        var second = await retriever.SearchAsync("warranty claim", 3);
        Assert.Equal(RetrievalMode.Keyword, first.Mode);
        Assert.Equal("Returns and refunds › Refund timing", first.Hits[0].Passage.Source);
        Assert.Equal("Warranty › Making a claim", second.Hits[0].Passage.Source);
        Assert.Equal(1, embeddings.Calls);
        Assert.False(retriever.UsesEmbeddings);
    }
}
