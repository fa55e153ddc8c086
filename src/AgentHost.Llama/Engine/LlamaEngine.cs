using System.Runtime.CompilerServices;
using System.Text;
using AgentHost.Llama.Options;
using AgentHost.Native;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace AgentHost.Llama.Engine;

/// <summary>
/// One loaded model and the scheduler that serves it. Thread-safe: any number of callers may generate at once;
/// they share the model's weights and are batched by the decode loop (up to <see cref="LlamaOptions.Parallel"/>
/// at a time, the rest queued).
/// </summary>
public sealed class LlamaEngine : IDisposable
{
    private readonly InferenceScheduler _scheduler;
    private readonly SafeLlamaContextHandle _context;
    private readonly bool _ownsModel;

    private LlamaEngine(LlamaModel model, bool ownsModel, SafeLlamaContextHandle context, LlamaOptions options, ILogger logger)
    {
        Model = model;
        _ownsModel = ownsModel;
        _context = context;
        Options = options;
        _scheduler = new InferenceScheduler(model, context, options.ContextSize, options.QueueLimit, logger, (long)options.PromptCacheMiB << 20);
    }

    public LlamaModel Model { get; }
    public LlamaOptions Options { get; }
    public string ModelId => Options.ModelId ?? Path.GetFileNameWithoutExtension(Model.Path);

    /// <summary>Tokens one request may hold (prompt + output).</summary>
    public int ContextSize => _scheduler.SlotContextSize;
    public int SlotCount => _scheduler.SlotCount;
    public int QueueLength => _scheduler.QueueLength;
    public int BusySlots => _scheduler.BusySlots;
    public long PromptTokensEvaluated => _scheduler.PromptTokensEvaluated;
    public long PromptTokensFromCache => _scheduler.PromptTokensFromCache;
    public long TokensGenerated => _scheduler.TokensGenerated;
    /// <summary>Conversation states saved when their slot was taken, and restored when they returned.</summary>
    public long PromptStatesSaved => _scheduler.StatesSaved;
    public long PromptStatesRestored => _scheduler.StatesRestored;

    /// <summary>Loads the model named by <see cref="LlamaOptions.ModelPath"/> and starts the decode loop.</summary>
    public static LlamaEngine Load(LlamaOptions options, ILoggerFactory? loggerFactory = null, IProgress<float>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        LlamaOptionsValidator.ThrowIfInvalid(options);
        var logger = (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger("AgentHost.Llama");
        var model = LlamaModel.Load(options.ModelPath!, options.ToModelParameters(), options.ToRuntimeOptions(), logger, progress, cancellationToken);
        try
        {
            return Create(model, ownsModel: true, options, logger);
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }

    /// <summary>A new engine (own context and decode loop) over an already loaded model, which the caller keeps owning.</summary>
    public static LlamaEngine Create(LlamaModel model, LlamaOptions options, ILoggerFactory? loggerFactory = null)
    {
        LlamaOptionsValidator.ThrowIfInvalid(options, requireModelPath: false);
        return Create(model, ownsModel: false, options, (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger("AgentHost.Llama"));
    }

    private static LlamaEngine Create(LlamaModel model, bool ownsModel, LlamaOptions options, ILogger logger)
    {
        var context = SafeLlamaContextHandle.Create(model.Handle, options.ToContextParameters());
        try
        {
            return new LlamaEngine(model, ownsModel, context, options, logger);
        }
        catch
        {
            context.Dispose();
            throw;
        }
    }

    /// <summary>Streams the completion of <paramref name="request"/>. The last update carries the finish reason and token counts.</summary>
    public async IAsyncEnumerable<GenerationUpdate> GenerateAsync(GenerationRequest request, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        // Stopping the enumeration early (a dropped client) cancels the request and frees its slot at once.
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var active = _scheduler.Enqueue(request, Options.Defaults.MaxTokens, cts.Token);
        try
        {
            await foreach (var update in active.Output.Reader.ReadAllAsync(CancellationToken.None).ConfigureAwait(false))
                yield return update;
        }
        finally
        {
            if (!active.Output.Reader.Completion.IsCompleted) cts.Cancel();
        }
    }

    /// <summary>The whole completion of <paramref name="request"/>.</summary>
    public async Task<GenerationResult> CompleteAsync(GenerationRequest request, CancellationToken cancellationToken = default)
    {
        var text = new StringBuilder();
        GenerationUpdate? last = null;
        await foreach (var update in GenerateAsync(request with { StreamTokens = false }, cancellationToken).ConfigureAwait(false))
        {
            text.Append(update.Text);
            last = update;
        }
        return new GenerationResult(text.ToString(), last!.FinishReason ?? GenerationFinishReason.Stop, last.PromptTokens, last.CompletionTokens, last.CachedPromptTokens);
    }

    /// <summary>llama.cpp's own timing counters for this engine's context.</summary>
    public PerfCounters Perf() => _context.Perf();

    public void ResetPerf() => _context.ResetPerf();

    public void Dispose()
    {
        _scheduler.Dispose();
        _context.Dispose();
        if (_ownsModel) Model.Dispose();
    }
}
