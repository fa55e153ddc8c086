using AgentHost.Native;

namespace AgentHost.Llama.Engine;

/// <summary>The prompt (plus what must be generated) does not fit the context window.</summary>
public sealed class ContextOverflowException : LlamaException
{
    public ContextOverflowException(int promptTokens, int contextSize)
        : base($"The prompt is {promptTokens} tokens but the context window per sequence is {contextSize} tokens; shorten the prompt or raise ContextSize.")
    {
        PromptTokens = promptTokens;
        ContextSize = contextSize;
    }

    public int PromptTokens { get; }
    public int ContextSize { get; }
}

/// <summary>The request queue is full; try again later.</summary>
public sealed class EngineBusyException : LlamaException
{
    public EngineBusyException(int queueLimit)
        : base($"The engine is busy: {queueLimit} requests are already waiting. Retry later.")
    {
        QueueLimit = queueLimit;
    }

    public int QueueLimit { get; }
}

/// <summary>A request argument is out of range (names the argument and the allowed range).</summary>
public sealed class InvalidGenerationRequestException : LlamaException
{
    public InvalidGenerationRequestException(string parameter, string message) : base($"{parameter}: {message}")
    {
        Parameter = parameter;
    }

    public string Parameter { get; }
}
