using System.ComponentModel.DataAnnotations;

namespace AgentHost.Plugins;

/// <summary>Settings of the AgentHost plugins, bound from the "Plugins" section of appsettings.json.</summary>
public sealed class AgentHostPluginOptions
{
    public const string SectionName = "Plugins";

    /// <summary>Folder holding prompts/&lt;Plugin&gt;/&lt;Function&gt;/{skprompt.txt,config.json}; defaults to the prompts/ copied next to the app.</summary>
    public string? PromptsDirectory { get; set; }

    /// <summary>Longest text (in characters) any function accepts; longer input is refused with a message naming the limit.</summary>
    [Range(1, 50_000_000)]
    public int MaxInputCharacters { get; set; } = 200_000;

    /// <summary>Model requests one long-document operation (chunked translation, map-reduce) keeps in flight at once.</summary>
    [Range(1, 64)]
    public int MaxParallelRequests { get; set; } = 2;

    public CustomerServiceOptions CustomerService { get; set; } = new();

    public TranslationOptions Translation { get; set; } = new();
}

/// <summary>Settings of the CustomerService plugin ("Plugins:CustomerService").</summary>
public sealed class CustomerServiceOptions
{
    /// <summary>SQLite file holding orders, tickets and conversations (created and migrated on first use).</summary>
    [Required]
    public string DatabasePath { get; set; } = "agenthost-support.db";

    /// <summary>Folder of FAQ/policy documents (*.md, *.txt) the knowledge base answers from; none = no knowledge base.</summary>
    public string? KnowledgeBaseDirectory { get; set; }

    /// <summary>Passages retrieved for one question.</summary>
    [Range(1, 20)]
    public int TopPassages { get; set; } = 3;

    /// <summary>Messages of one customer's conversation kept in the history sent to the model (older ones stay in the database).</summary>
    [Range(2, 1000)]
    public int MaxHistoryMessages { get; set; } = 20;

    /// <summary>Most tokens of one assistant reply in a support conversation.</summary>
    [Range(1, 100_000)]
    public int MaxReplyTokens { get; set; } = 400;
}

/// <summary>Settings of the Translation plugin ("Plugins:Translation").</summary>
public sealed class TranslationOptions
{
    /// <summary>Most texts in one batch request.</summary>
    [Range(1, 10_000)]
    public int MaxBatchItems { get; set; } = 50;
}
