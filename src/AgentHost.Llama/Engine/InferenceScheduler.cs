using System.Collections.Concurrent;
using AgentHost.Native;
using Microsoft.Extensions.Logging;

namespace AgentHost.Llama.Engine;

/// <summary>
/// The decode loop. One thread owns the llama_context; each iteration builds one batch from every active
/// request — one token per generating sequence plus prompt chunks up to n_batch — so many requests share one model
/// and a long prompt never freezes the others. Requests wait in a bounded queue for a free slot; a new request goes
/// to the free slot whose cached tokens share the longest prefix with its prompt.
/// </summary>
internal sealed class InferenceScheduler : IDisposable
{
    private readonly LlamaModel _model;
    private readonly SafeLlamaContextHandle _context;
    private readonly LlamaBatch _batch;
    private readonly InferenceSlot[] _slots;
    private readonly ConcurrentQueue<ActiveRequest> _queue = new();
    private readonly SemaphoreSlim _wake = new(0);
    private readonly Thread _thread;
    private readonly ILogger _logger;
    private readonly int _queueLimit;
    private volatile bool _stopping;
    private int _queued;
    private long _clock;
    private volatile ActiveRequest[] _decoding = [];

    // Saving or restoring costs a copy of the KV cells: not worth it for a handful of tokens.
    private const int MinStateTokens = 32;
    private readonly PromptStateCache? _states;

    public InferenceScheduler(LlamaModel model, SafeLlamaContextHandle context, int slotContextSize, int queueLimit, ILogger logger, long promptCacheBytes = 0)
    {
        _states = promptCacheBytes > 0 ? new PromptStateCache(promptCacheBytes) : null;
        _model = model;
        _context = context;
        _logger = logger;
        _queueLimit = queueLimit;
        _batch = new LlamaBatch((int)context.BatchSize);
        _slots = Enumerable.Range(0, (int)context.SequenceCount).Select(i => new InferenceSlot(i)).ToArray();
        // llama.cpp pads n_ctx; the configured size per slot is the contract.
        SlotContextSize = (int)Math.Min(slotContextSize, Math.Min(context.SequenceContextSize, context.ContextSize / context.SequenceCount));
        _thread = new Thread(Run) { IsBackground = true, Name = "llama-decode-loop" };
        _thread.Start();
    }

    /// <summary>Tokens one request may hold (prompt + output).</summary>
    public int SlotContextSize { get; }

    public int SlotCount => _slots.Length;
    public int QueueLength => Volatile.Read(ref _queued);
    public int BusySlots => _slots.Count(s => !s.IsFree);

    /// <summary>Cumulative counters for metrics.</summary>
    public long PromptTokensEvaluated => Interlocked.Read(ref _promptEvaluated);
    public long PromptTokensFromCache => Interlocked.Read(ref _promptCached);
    public long TokensGenerated => Interlocked.Read(ref _generated);
    /// <summary>Conversations whose KV state was saved when they lost their slot, and restored when they came back.</summary>
    public long StatesSaved => Interlocked.Read(ref _statesSaved);
    public long StatesRestored => Interlocked.Read(ref _statesRestored);
    private long _promptEvaluated, _promptCached, _generated, _statesSaved, _statesRestored;

    /// <summary>Validates and queues a request; output arrives on the returned request's channel.</summary>
    public ActiveRequest Enqueue(GenerationRequest request, int defaultMaxTokens, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_stopping, this);
        var prompt = request.PromptTokens?.ToArray()
            ?? _model.Tokenize(request.Prompt ?? throw new InvalidGenerationRequestException("Prompt", "a prompt (text or tokens) is required"), request.AddSpecialTokens, request.ParseSpecialTokens);
        if (prompt.Length == 0) throw new InvalidGenerationRequestException("Prompt", "the prompt is empty (no tokens)");
        var vocab = _model.VocabCount;
        for (var i = 0; i < prompt.Length; i++)
            if ((uint)prompt[i] >= (uint)vocab)
                throw new InvalidGenerationRequestException($"PromptTokens[{i}]", $"token id {prompt[i]} is outside the vocabulary (0..{vocab - 1})");
        if (request.TopLogprobs is < 0 or > GenerationRequest.MaxTopLogprobs)
            throw new InvalidGenerationRequestException("TopLogprobs", $"must be between 0 and {GenerationRequest.MaxTopLogprobs}, was {request.TopLogprobs}");
        if (request.MaxTokens is <= 0) throw new InvalidGenerationRequestException("MaxTokens", $"must be positive, was {request.MaxTokens}");
        if (prompt.Length >= SlotContextSize) throw new ContextOverflowException(prompt.Length, SlotContextSize);
        cancellationToken.ThrowIfCancellationRequested();

        ReasoningBudgetTracker? reasoning = null;
        if (request.ReasoningBudget is { } budget)
        {
            budget.Validate();
            // The engine writes the end tag as the model would: its tokens, special tokens included.
            reasoning = new ReasoningBudgetTracker(budget, _model.Tokenize(budget.EndTags[0], addSpecial: false, parseSpecial: true));
        }
        var sampler = SafeLlamaSamplerHandle.Create(_model.Handle, request.Sampling);
        var active = new ActiveRequest(prompt, sampler, request.MaxTokens ?? defaultMaxTokens, request.StopSequences, request.RenderSpecialTokens, request.IgnoreEndOfGeneration, request.StreamTokens, request.TopLogprobs, reasoning);
        if (Interlocked.Increment(ref _queued) > _queueLimit)
        {
            Interlocked.Decrement(ref _queued);
            active.Dispose();
            throw new EngineBusyException(_queueLimit);
        }
        active.Registration = cancellationToken.Register(() =>
        {
            active.Cancel();
            // Abort the native decode only when nothing else in it still wants its result.
            var inFlight = _decoding;
            if (inFlight.Length > 0 && inFlight.All(r => r.IsCancelled)) _context.RequestAbort();
            _wake.Release();
        });
        _queue.Enqueue(active);
        _wake.Release();
        return active;
    }

    private void Run()
    {
        try
        {
            while (!_stopping)
            {
                Admit();
                DropCancelled();
                if (_slots.All(s => s.IsFree))
                {
                    _wake.Wait();
                    continue;
                }
                Step();
            }
        }
        catch (Exception ex)
        {
            _logger.LogCritical(ex, "The decode loop failed; failing all requests");
            foreach (var slot in _slots) if (slot.Request is { } r) Finish(slot, r, error: ex);
            while (_queue.TryDequeue(out var q)) Fail(q, ex);
        }
    }

    private void Admit()
    {
        while (!_queue.IsEmpty)
        {
            var free = _slots.Where(s => s.IsFree).ToArray();
            if (free.Length == 0) return;
            if (!_queue.TryDequeue(out var request)) return;
            Interlocked.Decrement(ref _queued);
            if (request.IsCancelled) { Fail(request, new OperationCanceledException()); continue; }

            // Longest shared prefix wins; ties go to the least recently used slot.
            var slot = free.OrderByDescending(s => InferenceSlot.CommonPrefix(s.CachedTokens, request.Prompt)).ThenBy(s => s.LastUsed).First();
            var keep = InferenceSlot.CommonPrefix(slot.CachedTokens, request.Prompt);
            if (_states is not null) keep = SwapStates(slot, request.Prompt, keep);
            if (keep == request.Prompt.Length) keep--; // the last prompt token is evaluated again for its logits
            if (keep < slot.CachedTokens.Count && !_context.RemoveTokens(slot.Sequence, keep))
            {
                _context.RemoveTokens(slot.Sequence, 0);
                keep = 0;
            }
            slot.CachedTokens.RemoveRange(keep, slot.CachedTokens.Count - keep);
            slot.Request = request;
            slot.PromptCursor = keep;
            slot.PendingToken = null;
            slot.LastUsed = ++_clock;
            request.CachedPromptTokens = keep;
            request.AdmittedAt = System.Diagnostics.Stopwatch.GetTimestamp();
            Interlocked.Add(ref _promptCached, keep);
        }
    }

    /// <summary>
    /// Saves what <paramref name="slot"/> is about to lose (another conversation's history) and restores a saved state
    /// that shares more of <paramref name="prompt"/> than the slot does. Returns the tokens now reusable.
    /// </summary>
    private int SwapStates(InferenceSlot slot, int[] prompt, int keep)
    {
        var (entry, shared) = _states!.FindLongestPrefix(prompt);
        var restore = entry is not null && shared >= keep + MinStateTokens;
        if (slot.CachedTokens.Count - keep >= MinStateTokens && _states.Add([.. slot.CachedTokens], _context.SaveSequenceState(slot.Sequence)))
            Interlocked.Increment(ref _statesSaved);
        if (!restore) return keep;

        // A request that continues the saved conversation takes its state (the slot will hold all of it and more).
        // One that shares only its opening (another conversation with the same system prompt and first words) gets
        // a copy: taking it would throw away the rest of that conversation's history, which is still to come back.
        if (shared + MinStateTokens >= entry!.Tokens.Length) _states.Take(entry);
        _context.RemoveTokens(slot.Sequence, 0);
        slot.CachedTokens.Clear();
        if (!_context.RestoreSequenceState(slot.Sequence, entry!.State))
        {
            _logger.LogWarning("llama.cpp rejected a saved prompt state of {Tokens} tokens; evaluating the prompt again", entry.Tokens.Length);
            _context.RemoveTokens(slot.Sequence, 0);
            return 0;
        }
        slot.CachedTokens.AddRange(entry.Tokens);
        Interlocked.Increment(ref _statesRestored);
        return shared;
    }

    private void DropCancelled()
    {
        foreach (var slot in _slots)
            if (slot.Request is { IsCancelled: true } r)
                Finish(slot, r, error: new OperationCanceledException());
    }

    private void Step()
    {
        _batch.Clear();
        var participants = new List<InferenceSlot>();
        foreach (var slot in _slots)
        {
            slot.InFlight.Clear();
            slot.LogitsIndex = -1;
            if (slot.Request is null || slot.PendingToken is not { } token) continue;
            slot.LogitsIndex = _batch.Add(token, slot.CachedTokens.Count, slot.Sequence, wantLogits: true);
            slot.InFlight.Add(token);
            participants.Add(slot);
        }
        // Prompt chunks fill the rest of the batch, least recently served first.
        foreach (var slot in _slots.Where(s => s.IsPrompting).OrderBy(s => s.LastUsed))
        {
            var request = slot.Request!;
            var room = _batch.Capacity - _batch.Count;
            if (room <= 0) break;
            var take = Math.Min(room, request.Prompt.Length - slot.PromptCursor);
            for (var i = 0; i < take; i++)
            {
                var pos = slot.PromptCursor + i;
                var last = pos == request.Prompt.Length - 1;
                var idx = _batch.Add(request.Prompt[pos], pos, slot.Sequence, wantLogits: last);
                if (last) slot.LogitsIndex = idx;
                slot.InFlight.Add(request.Prompt[pos]);
            }
            slot.LastUsed = ++_clock;
            participants.Add(slot);
        }
        if (_batch.Count == 0) return;

        _decoding = participants.Select(s => s.Request!).ToArray();
        var rc = _context.Decode(_batch);
        _decoding = [];

        if (rc != DecodeResult.Ok)
        {
            foreach (var slot in participants)
            {
                // Whatever the failed batch may have written for this sequence is removed; the cache stays exact.
                _context.RemoveTokens(slot.Sequence, slot.CachedTokens.Count);
                var r = slot.Request!;
                if (rc == DecodeResult.Aborted)
                {
                    if (r.IsCancelled) Finish(slot, r, error: new OperationCanceledException());
                }
                else
                {
                    Finish(slot, r, error: new LlamaException(rc == DecodeResult.NoKvSlot
                        ? $"The KV cache is full (context {_context.ContextSize} tokens for {_slots.Length} sequences)."
                        : $"llama_decode failed ({rc})."));
                }
            }
            return;
        }

        var sampling = new List<InferenceSlot>();
        foreach (var slot in participants)
        {
            slot.CachedTokens.AddRange(slot.InFlight);
            if (slot.PendingToken is null)
            {
                slot.PromptCursor += slot.InFlight.Count;
                Interlocked.Add(ref _promptEvaluated, slot.InFlight.Count);
            }
            slot.PendingToken = null;
            if (slot.LogitsIndex >= 0) sampling.Add(slot);
        }
        var (sampled, failures, forced) = SampleInParallel(sampling);

        for (var s = 0; s < sampling.Count; s++)
        {
            var slot = sampling[s];
            var request = slot.Request!;
            if (failures[s] is { } failure)
            {
                Finish(slot, request, error: failure);
                continue;
            }
            TokenLogprob? logprob = null;
            int token;
            if (forced[s])
            {
                token = sampled[s];
            }
            else if (request.TopBuffer is { } top)
            {
                token = request.Sampler.SampleWithLogprobs(_context, slot.LogitsIndex, top, out var count, out var chosen);
                logprob = Describe(request, token, chosen, top.AsSpan(0, count));
            }
            else
            {
                token = sampled[s];
            }
            if (request.FirstTokenAt == 0) request.FirstTokenAt = System.Diagnostics.Stopwatch.GetTimestamp();
            Interlocked.Increment(ref _generated);
            if (!request.IgnoreEndOfGeneration && _model.Handle.IsEndOfGeneration(token))
            {
                Finish(slot, request, GenerationFinishReason.Stop);
                continue;
            }
            request.CompletionTokens++;
            var piece = _model.Handle.TokenToBytes(token, request.RenderSpecial);
            var decoded = request.Decoder.Push(piece);
            request.Reasoning?.Observe(decoded, forced[s], Utf8TokenDecoder.EndsOnCharBoundary(piece));
            request.DecodedChars += decoded.Length;
            var text = request.Stops.Push(decoded);
            // A token that completed a stop sequence is not part of the output; neither are its probabilities.
            if (request.Stops.Stopped) logprob = null;
            if (request.Buffered is { } buffered)
            {
                buffered.Append(text);
                if (logprob is not null) request.BufferedLogprobs?.Add(logprob);
            }
            else if (text.Length > 0 || !request.Stops.Stopped)
                request.Output.Writer.TryWrite(new GenerationUpdate { Text = text, Token = token, PromptTokens = request.Prompt.Length, CompletionTokens = request.CompletionTokens, CachedPromptTokens = request.CachedPromptTokens, Logprobs = logprob is null ? null : [logprob] });
            if (request.Stops.Stopped) Finish(slot, request, GenerationFinishReason.Stop);
            else if (request.CompletionTokens >= request.MaxTokens || slot.CachedTokens.Count + 1 >= SlotContextSize) Finish(slot, request, GenerationFinishReason.Length);
            else slot.PendingToken = token;
        }
    }

    /// <summary>
    /// Samples every slot that asked for logits and wants no probabilities, one thread per sequence when there are
    /// several: each has its own sampler, and a grammar over a large vocabulary costs more than the decode step.
    /// A sampler that fails fails its own request only.
    /// </summary>
    private (int[] Tokens, Exception?[] Errors, bool[] Forced) SampleInParallel(List<InferenceSlot> sampling)
    {
        var tokens = new int[sampling.Count];
        var errors = new Exception?[sampling.Count];
        var forced = new bool[sampling.Count];
        var plain = new List<int>();
        for (var i = 0; i < sampling.Count; i++)
        {
            var request = sampling[i].Request!;
            // A spent thinking budget writes the end tag, where the request's grammar allows it (llama.cpp aborts on
            // a grammar made to accept a token it rejects).
            if (request.Reasoning is { } reasoning && reasoning.TryPeekForced(out var next))
            {
                if (request.Sampler.Allows(next))
                {
                    request.Sampler.Accept(next);
                    (tokens[i], forced[i]) = (next, true);
                    continue;
                }
                _logger.LogDebug("The grammar refuses the thinking end tag here; the model goes on without it");
                reasoning.GiveUpForcing();
            }
            if (request.TopBuffer is null) plain.Add(i);
        }
        if (plain.Count == 1)
        {
            var slot = sampling[plain[0]];
            try { tokens[plain[0]] = slot.Request!.Sampler.Sample(_context, slot.LogitsIndex); }
            catch (Exception ex) { errors[plain[0]] = ex; }
        }
        else if (plain.Count > 1)
        {
            var picked = new int[plain.Count];
            var failed = new Exception?[plain.Count];
            SafeLlamaSamplerHandle.SampleEach(_context, plain.Select(i => sampling[i].Request!.Sampler).ToArray(), plain.Select(i => sampling[i].LogitsIndex).ToArray(), picked, failed);
            for (var j = 0; j < plain.Count; j++) (tokens[plain[j]], errors[plain[j]]) = (picked[j], failed[j]);
        }
        return (tokens, errors, forced);
    }

    private void Finish(InferenceSlot slot, ActiveRequest request, GenerationFinishReason reason = GenerationFinishReason.Stop, Exception? error = null)
    {
        slot.Request = null;
        slot.PendingToken = null;
        slot.LogitsIndex = -1;
        if (error is null)
        {
            var tail = request.Stops.Push(request.Decoder.Flush()) + request.Stops.Flush();
            if (request.Buffered is { } buffered) tail = buffered.Append(tail).ToString();
            request.Output.Writer.TryWrite(new GenerationUpdate
            {
                Text = tail,
                FinishReason = reason,
                PromptTokens = request.Prompt.Length,
                CompletionTokens = request.CompletionTokens,
                CachedPromptTokens = request.CachedPromptTokens,
                Logprobs = request.BufferedLogprobs,
                Timings = Timings(request),
            });
            request.Output.Writer.TryComplete();
        }
        else
        {
            request.Output.Writer.TryComplete(error);
        }
        request.Dispose();
    }

    private TokenLogprob Describe(ActiveRequest request, int token, float logprob, ReadOnlySpan<CandidateLogprob> top)
    {
        var alternatives = new TokenAlternative[top.Length];
        for (var i = 0; i < top.Length; i++)
        {
            var bytes = _model.Handle.TokenToBytes(top[i].Token, request.RenderSpecial);
            alternatives[i] = new TokenAlternative(top[i].Token, System.Text.Encoding.UTF8.GetString(bytes), bytes, top[i].Logprob);
        }
        var own = _model.Handle.TokenToBytes(token, request.RenderSpecial);
        return new TokenLogprob(token, System.Text.Encoding.UTF8.GetString(own), own, logprob, request.DecodedChars, alternatives);
    }

    private static GenerationTimings Timings(ActiveRequest request)
    {
        var now = System.Diagnostics.Stopwatch.GetTimestamp();
        var admitted = request.AdmittedAt == 0 ? now : request.AdmittedAt;
        var first = request.FirstTokenAt == 0 ? now : request.FirstTokenAt;
        return new GenerationTimings(
            request.CachedPromptTokens,
            request.Prompt.Length - request.CachedPromptTokens,
            System.Diagnostics.Stopwatch.GetElapsedTime(admitted, first).TotalMilliseconds,
            request.CompletionTokens,
            System.Diagnostics.Stopwatch.GetElapsedTime(first, now).TotalMilliseconds);
    }

    private static void Fail(ActiveRequest request, Exception error)
    {
        request.Output.Writer.TryComplete(error);
        request.Dispose();
    }

    public void Dispose()
    {
        if (_stopping) return;
        _stopping = true;
        _context.RequestAbort();
        _wake.Release();
        _thread.Join();
        var disposed = new ObjectDisposedException(nameof(InferenceScheduler), "The engine was disposed.");
        foreach (var slot in _slots) if (slot.Request is { } r) Finish(slot, r, error: disposed);
        while (_queue.TryDequeue(out var q)) Fail(q, disposed);
        _batch.Dispose();
        _wake.Dispose();
    }
}
