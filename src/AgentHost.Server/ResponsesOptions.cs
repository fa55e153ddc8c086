using System.ComponentModel.DataAnnotations;

namespace AgentHost.Server;

/// <summary>
/// Settings of the OpenAI Responses and Conversations API ("Responses" section of appsettings.json). Its state lives
/// in the agent session database ("AgentSessions:DatabasePath").
/// </summary>
public sealed class ResponsesOptions
{
    /// <summary>The configuration section ("Responses").</summary>
    public const string SectionName = "Responses";

    /// <summary>What a request that does not say <c>store</c> gets (OpenAI: true).</summary>
    public bool StoreByDefault { get; set; } = true;

    /// <summary>Input items one request may carry.</summary>
    [Range(1, 100_000)]
    public int MaxInputItems { get; set; } = 1000;

    /// <summary>Most conversations GET /v1/conversations lists (newest first).</summary>
    [Range(1, 10_000)]
    public int MaxListedConversations { get; set; } = 100;

    /// <summary>The <c>server_label</c> of approval requests (mcp_approval_request items) for AgentHost's own tools.</summary>
    [Required]
    public string ApprovalServerLabel { get; set; } = "agenthost";
}
