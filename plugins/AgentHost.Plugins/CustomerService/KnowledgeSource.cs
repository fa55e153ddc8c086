using AgentHost.Plugins.CustomerService.Knowledge;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AgentHost.Plugins.CustomerService;

/// <summary>
/// The configured knowledge base and its retriever, loaded on first use, so a host that never asks a question (or
/// has no knowledge base) pays nothing and a misconfigured folder is reported by the function that needs it.
/// </summary>
public sealed class KnowledgeSource
{
    private readonly Lazy<KnowledgeRetriever> _retriever;

    public KnowledgeSource(IOptions<AgentHostPluginOptions> options, IEmbeddingGenerator<string, Embedding<float>>? embeddings = null, ILoggerFactory? loggerFactory = null)
    {
        var directory = options.Value.CustomerService.KnowledgeBaseDirectory;
        _retriever = new(() => new KnowledgeRetriever(
            string.IsNullOrWhiteSpace(directory) ? KnowledgeBase.Empty : KnowledgeBase.LoadDirectory(directory),
            embeddings,
            loggerFactory?.CreateLogger<KnowledgeRetriever>()));
    }

    public KnowledgeSource(KnowledgeRetriever retriever) => _retriever = new(retriever);

    public KnowledgeRetriever Retriever => _retriever.Value;
}
