using System.Net;
using AgentHost.Cluster.Grains;
using AgentHost.Cluster.Nodes;
using AgentHost.Cluster.Routing;

namespace AgentHost.Cluster.Tests;

/// <summary>
/// Prefix routing of requests without a conversation id (<see cref="ClusterView.Choose"/> over the prefix-block hashes
/// of <see cref="PromptPrefixHasher"/>), the way the placement director calls it: nodes publish the hashes of what
/// they served, a new request goes to the node sharing its longest prefix, else to the least loaded.
/// </summary>
public sealed class PrefixPlacementTests
{
    private const int BlockChars = 64;
    private static readonly SiloAddress A = Silo(1), B = Silo(2), C = Silo(3);

    private static SiloAddress Silo(int i) => SiloAddress.New(new IPEndPoint(IPAddress.Loopback, 11110 + i), 1);

    private static readonly ConversationMessage System = new("system", "You are the support bot of a shop that sells bicycles, parts and repairs. Answer briefly and politely.");
    private static readonly ConversationMessage OtherSystem = new("system", "You translate English into French. Keep names as they are and answer with the translation only.");

    private static long[] Hash(params ConversationMessage[] messages) => PromptPrefixHasher.Hash(messages, BlockChars);

    private static NodeSummary Summary(SiloAddress silo, int busy, long[] prefixes, params string[] conversations) => new()
    {
        Silo = silo,
        Node = silo.ToString(),
        SlotCount = 4,
        BusySlots = busy,
        PrefixHashes = prefixes,
        Conversations = conversations,
        PublishedAt = DateTimeOffset.UtcNow,
    };

    [Fact]
    public void Hashes_of_two_prompts_agree_exactly_on_their_shared_leading_blocks()
    {
        var first = Hash(System, new("user", "My chain keeps falling off when I change gear on a hill, what can I do?"));
        var second = Hash(System, new("user", "Do you sell helmets for children?"));
        Assert.True(first.Length >= 2 && second.Length >= 2);
        var shared = PromptPrefixHasher.SharedBlocks(second, first.ToHashSet());
        // Every whole block before the first character that differs (the system message with its role and
        // separators, then "user" and its separator) is shared, and so is the end of the system message; the block
        // holding that character is not.
        var systemEnd = System.Role.Length + 1 + System.Content.Length + 1;
        Assert.NotEqual(0, systemEnd % BlockChars);
        Assert.Equal((systemEnd + "user".Length + 1) / BlockChars + 1, shared);
        Assert.Equal(first.Take(shared), second.Take(shared));
        Assert.NotEqual(first[shared], second[shared]);
        // The same text under another role is another prompt.
        Assert.Equal(0, PromptPrefixHasher.SharedBlocks(Hash(new ConversationMessage("user", System.Content)), first.ToHashSet()));
    }

    [Fact]
    public void The_end_of_a_message_inside_a_block_is_shared_by_the_next_request_of_the_conversation()
    {
        // A short chat: everything served fits in one block and a bit, so only the message ends tell it apart.
        ConversationMessage system = new("system", "Be brief."), user = new("user", "Hi Lily 0"), reply = new("assistant", "Hello!");
        var served = Hash(system, user, reply).ToHashSet();
        var other = Hash(system, new("user", "Hi Lily 6"), reply).ToHashSet();
        var next = Hash(system, user, reply, new("user", "And then?"));
        Assert.Equal(3, PromptPrefixHasher.SharedBlocks(next, served));
        Assert.Equal(1, PromptPrefixHasher.SharedBlocks(next, other));
    }

    [Fact]
    public void A_request_goes_to_the_node_holding_its_longest_prefix_else_to_the_least_loaded()
    {
        var view = new ClusterView();
        var shop = Hash(System, new("user", "My chain keeps falling off when I change gear on a hill, what can I do?"));
        var translate = Hash(OtherSystem, new("user", "The weather is nice today and we are going to the beach."));
        // A served the shop prompt, B the translation prompt; both are busier than C, which served nothing.
        view.Update([Summary(A, busy: 3, shop), Summary(B, busy: 3, translate), Summary(C, busy: 0, [])]);
        var silos = new[] { A, B, C };

        // A follow-up of the shop conversation (history + a new question) shares all of A's prefix: A, busy as it is.
        var followUp = Hash(System, new("user", "My chain keeps falling off when I change gear on a hill, what can I do?"), new("assistant", "Check the derailleur."), new("user", "How?"));
        Assert.Equal(A, view.Choose(silos, Guid.NewGuid().ToString("N"), followUp));
        // Another shop question shares the system prompt only: still A, the only node holding any of it.
        Assert.Equal(A, view.Choose(silos, Guid.NewGuid().ToString("N"), Hash(System, new("user", "Do you repair e-bikes?"))));
        Assert.Equal(B, view.Choose(silos, Guid.NewGuid().ToString("N"), Hash(OtherSystem, new("user", "Good morning, my friend."))));
        // Nothing shared: the least-loaded node.
        Assert.Equal(C, view.Choose(silos, Guid.NewGuid().ToString("N"), Hash(new ConversationMessage("user", "Write a haiku about rain falling on a quiet city at night, please."))));
    }

    [Fact]
    public void The_node_that_served_a_conversation_wins_over_a_prefix_and_a_dead_node_is_never_chosen()
    {
        var view = new ClusterView();
        var shop = Hash(System, new("user", "My chain keeps falling off when I change gear on a hill, what can I do?"));
        view.Update([Summary(A, busy: 0, shop), Summary(B, busy: 3, [], "conv-42"), Summary(C, busy: 1, [])]);
        // conv-42's KV state is in B's cache, even though A shares the prompt's prefix and is idle.
        Assert.Equal(B, view.Choose([A, B, C], "conv-42", shop));
        // Once B has left the membership (the silos Orleans offers), the prefix decides again.
        Assert.Equal(A, view.Choose([A, C], "conv-42", shop));
        // And with A gone too, the one left.
        Assert.Equal(C, view.Choose([C], "conv-42", shop));
    }
}
