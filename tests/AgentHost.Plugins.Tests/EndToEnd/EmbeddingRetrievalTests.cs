using AgentHost.Llama;
using AgentHost.Llama.Embeddings;
using AgentHost.Llama.Options;
using AgentHost.Native;
using AgentHost.Plugins.CustomerService.Knowledge;
using AgentHost.Plugins.Tests.CustomerService;

namespace AgentHost.Plugins.Tests.EndToEnd;

/// <summary>Knowledge retrieval with the local model's IEmbeddingGenerator (stories260K: a real model, tiny and fast).</summary>
public class EmbeddingRetrievalTests
{
    [Fact]
    public async Task RetrievalUsesTheLocalModelsEmbeddingsFusedWithKeywords()
    {
        using var llama = LlamaModel.Load(TestAssets.Stories260K, new ModelLoadParameters { GpuLayers = 0 }, new NativeRuntimeOptions { Backend = LlamaBackendKind.Cpu });
        using var embeddings = new LlamaEmbeddingGenerator(llama, new LlamaOptions { ModelPath = TestAssets.Stories260K, ContextSize = 2048, Threads = 2, Backend = LlamaBackendKind.Cpu, GpuLayers = 0 });
        // Two of the sample documents keep the embedding work small.
        var documents = KnowledgeBase.LoadDirectory(KnowledgeTests.SampleKnowledge).Documents.Where(d => d.Id is "returns-and-refunds" or "shipping");
        var retriever = new KnowledgeRetriever(KnowledgeBase.FromDocuments(documents), embeddings);

        var result = await retriever.SearchAsync("How long does a refund take to reach my card?", 3);
        Assert.True(retriever.UsesEmbeddings);
        Assert.Equal(RetrievalMode.Hybrid, result.Mode);
        Assert.Equal(3, result.Hits.Count);
        Assert.All(result.Hits, h => Assert.NotNull(h.VectorRank ?? h.KeywordRank));
        // The passage that has every query term stays in the top results even with noisy vectors.
        Assert.Contains(result.Hits, h => h.Passage.Source == "Returns and refunds › Refund timing");
    }
}
