using AgentHost.Cluster.Grains;

namespace AgentHost.Cluster.Tests.Support;

/// <summary>The test conversations: a shared system prompt, then user turns that differ per conversation. Greedy, few tokens.</summary>
internal static class StoryWorkload
{
    public const int Conversations = 30;
    public const int Turns = 5;
    public const string System = "You tell short stories for children.";

    public static readonly TurnSettings Settings = new() { MaxTokens = 8, Temperature = 0 };

    public static string UserMessage(int conversation, int turn) =>
        $"Tell me about {Names[conversation % Names.Length]} number {conversation} and the {Things[turn % Things.Length]}.";

    /// <summary>The new messages of a turn: the system prompt comes with the first.</summary>
    public static IReadOnlyList<ConversationMessage> TurnMessages(int conversation, int turn) => turn == 0
        ? [new("system", System), new("user", UserMessage(conversation, turn))]
        : [new("user", UserMessage(conversation, turn))];

    private static readonly string[] Names = ["Lily", "Tom", "Sue", "Ben", "Max", "Mia"];
    private static readonly string[] Things = ["ball", "cat", "tree", "cake", "park"];
}
