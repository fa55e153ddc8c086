using AgentHost.Server.Protocol;
using Microsoft.Extensions.AI;

namespace AgentHost.Server.Mapping;

/// <summary>
/// Turns a stream of MEAI updates into OpenAI chunks for one response: a first chunk with the role, content and
/// tool-call deltas (tool calls numbered by <c>index</c>, each sent whole), one chunk with the finish reason, and
/// the usage for the optional extra chunk.
/// </summary>
internal sealed class ChatChunkMapper(string id, long created, string modelId)
{
    private int _toolCalls;
    private bool _sentRole;

    public bool Finished { get; private set; }
    public UsageDto? Usage { get; private set; }

    public IEnumerable<ChatCompletionChunk> Map(ChatResponseUpdate update)
    {
        if (!_sentRole)
        {
            _sentRole = true;
            yield return Chunk(new DeltaDto { Role = "assistant", Content = "" });
        }
        var reasoning = string.Concat(update.Contents.OfType<TextReasoningContent>().Select(r => r.Text));
        if (reasoning.Length > 0) yield return Chunk(new DeltaDto { ReasoningContent = reasoning });
        var text = update.Text;
        if (text.Length > 0) yield return Chunk(new DeltaDto { Content = text });
        var calls = update.Contents.OfType<FunctionCallContent>().ToList();
        if (calls.Count > 0)
            yield return Chunk(new DeltaDto { ToolCalls = calls.Select(c => ChatResponseMapper.ToToolCall(c, _toolCalls++)).ToList() });
        if (update.Contents.OfType<UsageContent>().FirstOrDefault() is { } usage) Usage = ChatResponseMapper.ToUsage(usage.Details);
        if (update.FinishReason is { } reason) yield return Finish(reason);
    }

    /// <summary>The finish chunk, for a stream that ended without saying why (it then ended normally).</summary>
    public IEnumerable<ChatCompletionChunk> Complete()
    {
        if (!_sentRole) foreach (var chunk in Map(new ChatResponseUpdate(ChatRole.Assistant, (string?)null))) yield return chunk;
        if (!Finished) yield return Finish(ChatFinishReason.Stop);
    }

    public ChatCompletionChunk UsageChunk() => new()
    {
        Id = id,
        Created = created,
        Model = modelId,
        Choices = [],
        Usage = Usage ?? new UsageDto(),
    };

    private ChatCompletionChunk Finish(ChatFinishReason reason)
    {
        Finished = true;
        return new ChatCompletionChunk
        {
            Id = id,
            Created = created,
            Model = modelId,
            Choices = [new ChunkChoiceDto { Index = 0, Delta = new DeltaDto(), FinishReason = ChatResponseMapper.FinishReason(reason, _toolCalls > 0) }],
        };
    }

    private ChatCompletionChunk Chunk(DeltaDto delta) => new()
    {
        Id = id,
        Created = created,
        Model = modelId,
        Choices = [new ChunkChoiceDto { Index = 0, Delta = delta }],
    };
}
