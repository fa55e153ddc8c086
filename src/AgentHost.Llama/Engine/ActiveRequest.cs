using System.Text;
using System.Threading.Channels;
using AgentHost.Native;

namespace AgentHost.Llama.Engine;

/// <summary>A request admitted to the scheduler: its prompt, sampler chain, output channel and progress.</summary>
internal sealed class ActiveRequest : IDisposable
{
    private int _cancelled;

    public ActiveRequest(int[] prompt, SafeLlamaSamplerHandle sampler, int maxTokens, IReadOnlyList<string> stops, bool renderSpecial, bool ignoreEog, bool streamTokens = true, int? topLogprobs = null, ReasoningBudgetTracker? reasoning = null)
    {
        Reasoning = reasoning;
        if (topLogprobs is { } n)
        {
            TopBuffer = new CandidateLogprob[n];
            if (!streamTokens) BufferedLogprobs = [];
        }
        Buffered = streamTokens ? null : new StringBuilder();
        Prompt = prompt;
        Sampler = sampler;
        MaxTokens = maxTokens;
        Stops = new StopSequenceMatcher(stops);
        RenderSpecial = renderSpecial;
        IgnoreEndOfGeneration = ignoreEog;
    }

    public int[] Prompt { get; }
    public SafeLlamaSamplerHandle Sampler { get; }
    public int MaxTokens { get; }
    public StopSequenceMatcher Stops { get; }
    public Utf8TokenDecoder Decoder { get; } = new();
    /// <summary>The thinking budget's progress; null when thinking is unlimited.</summary>
    public ReasoningBudgetTracker? Reasoning { get; }
    public bool RenderSpecial { get; }
    public bool IgnoreEndOfGeneration { get; }
    /// <summary>The text so far of a request that asked for no per-token updates; null when streaming.</summary>
    public StringBuilder? Buffered { get; }
    /// <summary>Scratch for the alternatives of one token; null when no probabilities were asked for.</summary>
    public CandidateLogprob[]? TopBuffer { get; }
    /// <summary>The probabilities so far of a request with probabilities and no per-token updates.</summary>
    public List<TokenLogprob>? BufferedLogprobs { get; }
    /// <summary>Characters the decoder has produced so far (token text offsets).</summary>
    public int DecodedChars { get; set; }
    /// <summary>Stopwatch timestamps: admission to a slot, and the first sampled token.</summary>
    public long AdmittedAt { get; set; }
    public long FirstTokenAt { get; set; }
    public Channel<GenerationUpdate> Output { get; } = Channel.CreateUnbounded<GenerationUpdate>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
    public CancellationTokenRegistration Registration { get; set; }

    public int CompletionTokens { get; set; }
    public int CachedPromptTokens { get; set; }
    public bool IsCancelled => Volatile.Read(ref _cancelled) != 0;

    public void Cancel() => Interlocked.Exchange(ref _cancelled, 1);

    public void Dispose()
    {
        Registration.Dispose();
        Sampler.Dispose();
    }
}
