namespace AgentHost.Cluster.Tests.Support;

/// <summary>What the test saw of one turn.</summary>
internal sealed record TurnResult(int Conversation, int Turn, string Reply, string Node, int PromptTokens, int CachedTokens, int CompletionTokens);
