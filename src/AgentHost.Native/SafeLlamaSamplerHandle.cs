using System.Numerics.Tensors;
using System.Runtime.InteropServices;
using AgentHost.Native.Interop;

namespace AgentHost.Native;

/// <summary>A grammar string llama.cpp's GBNF parser rejected.</summary>
public sealed class GrammarException : LlamaException
{
    public GrammarException(string message) : base(message) { }
}

/// <summary>A candidate token and its natural-log probability (see <see cref="SafeLlamaSamplerHandle.SampleWithLogprobs"/>).</summary>
public readonly record struct CandidateLogprob(int Token, float Logprob);

/// <summary>
/// Owns a llama_sampler chain built from <see cref="SamplerSettings"/>: logit bias, penalties, grammar, then
/// greedy or top-k / top-p / min-p / temperature / dist — the order llama.cpp's own tools use.
/// </summary>
public sealed unsafe class SafeLlamaSamplerHandle : SafeHandle
{
    private SafeLlamaSamplerHandle() : base(0, ownsHandle: true) { }

    private bool _argmax;                      // plain greedy: nothing in the chain but the greedy pick
    private int _vocabCount;
    private nint _grammar;                     // llama_sampler for the grammar, or 0
    private LlamaTokenData[] _candidates = []; // one entry per vocabulary token, reused every step (grammar only)

    public override bool IsInvalid => handle == 0;

    public static SafeLlamaSamplerHandle Create(SafeLlamaModelHandle model, SamplerSettings settings)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(settings);
        settings.Validate();
        var vocab = model.Vocab;
        var nVocab = model.VocabCount;

        var chainParams = NativeMethods.llama_sampler_chain_default_params();
        chainParams.NoPerf = false;
        var chain = NativeMethods.llama_sampler_chain_init(chainParams);
        var h = new SafeLlamaSamplerHandle();
        h.SetHandle(chain);
        try
        {
            if (settings.LogitBias is { Count: > 0 } bias)
            {
                var arr = bias.Select(kv =>
                {
                    model.ValidateToken(kv.Key);
                    return new LlamaLogitBias { Token = kv.Key, Bias = kv.Value };
                }).ToArray();
                fixed (LlamaLogitBias* b = arr)
                    NativeMethods.llama_sampler_chain_add(chain, NativeMethods.llama_sampler_init_logit_bias(nVocab, arr.Length, b));
            }
            if (settings.RepeatPenalty != 1f || settings.FrequencyPenalty != 0f || settings.PresencePenalty != 0f)
                NativeMethods.llama_sampler_chain_add(chain, NativeMethods.llama_sampler_init_penalties(nVocab, settings.PenaltyLastN, settings.RepeatPenalty, settings.FrequencyPenalty, settings.PresencePenalty));
            // The grammar stays outside the chain: Sample checks the chain's pick against it before masking the vocabulary.
            if (settings.Grammar is { } grammar)
            {
                h._grammar = CreateGrammar(model, grammar, settings.GrammarRoot, settings.GrammarTriggerPatterns, settings.GrammarTriggerTokens);
                h._candidates = new LlamaTokenData[nVocab];
                var lazy = settings.GrammarTriggerPatterns is { Count: > 0 } || settings.GrammarTriggerTokens is { Count: > 0 };
                if (!lazy && !string.IsNullOrEmpty(settings.GrammarPrefill)) h.PrefillGrammar(model, settings.GrammarPrefill);
            }

            h._vocabCount = nVocab;
            h._argmax = settings.IsGreedy && h._grammar == 0 && settings.LogitBias is not { Count: > 0 }
                && settings.RepeatPenalty == 1f && settings.FrequencyPenalty == 0f && settings.PresencePenalty == 0f;
            if (settings.IsGreedy)
            {
                NativeMethods.llama_sampler_chain_add(chain, NativeMethods.llama_sampler_init_greedy());
            }
            else
            {
                if (settings.TopK > 0) NativeMethods.llama_sampler_chain_add(chain, NativeMethods.llama_sampler_init_top_k(settings.TopK));
                if (settings.TopP < 1f) NativeMethods.llama_sampler_chain_add(chain, NativeMethods.llama_sampler_init_top_p(settings.TopP, 1));
                if (settings.MinP > 0f) NativeMethods.llama_sampler_chain_add(chain, NativeMethods.llama_sampler_init_min_p(settings.MinP, 1));
                NativeMethods.llama_sampler_chain_add(chain, NativeMethods.llama_sampler_init_temp(settings.Temperature));
                NativeMethods.llama_sampler_chain_add(chain, NativeMethods.llama_sampler_init_dist(settings.Seed));
            }
            return h;
        }
        catch
        {
            h.Dispose();
            throw;
        }
    }

    private static nint CreateGrammar(SafeLlamaModelHandle model, string grammar, string root, IReadOnlyList<string>? patterns, IReadOnlyList<int>? tokens)
    {
        var handles = new List<GCHandle>();
        byte* Pin(string s)
        {
            var g = GCHandle.Alloc(Utf8.ToNullTerminated(s), GCHandleType.Pinned);
            handles.Add(g);
            return (byte*)g.AddrOfPinnedObject();
        }
        try
        {
            LlamaLog.TakeLastProblem();
            nint sampler;
            if (patterns is { Count: > 0 } || tokens is { Count: > 0 })
            {
                var pats = (patterns ?? []).Select(p => (nint)Pin(p)).ToArray();
                var toks = (tokens ?? []).ToArray();
                foreach (var t in toks) model.ValidateToken(t);
                fixed (nint* pp = pats)
                fixed (int* tp = toks)
                    sampler = NativeMethods.llama_sampler_init_grammar_lazy_patterns(model.Vocab, Pin(grammar), Pin(root), (byte**)pp, (nuint)pats.Length, tp, (nuint)toks.Length);
            }
            else
            {
                sampler = NativeMethods.llama_sampler_init_grammar(model.Vocab, Pin(grammar), Pin(root));
            }
            if (sampler == 0)
                throw new GrammarException($"llama.cpp rejected the grammar (root '{root}'): {LlamaLog.TakeLastProblem() ?? "parse error"}");
            return sampler;
        }
        finally
        {
            foreach (var g in handles) g.Free();
        }
    }

    /// <summary>
    /// Advances the grammar over text already in the prompt. Each token is checked first: llama.cpp aborts the process
    /// when a grammar is made to accept a token it rejects.
    /// </summary>
    private void PrefillGrammar(SafeLlamaModelHandle model, string text)
    {
        var tokens = model.Tokenize(text, addSpecial: false, parseSpecial: true);
        Span<byte> piece = stackalloc byte[64];
        for (var i = 0; i < tokens.Length; i++)
        {
            var token = tokens[i];
            // SentencePiece vocabularies may put a space before the first token that the text does not have.
            if (i == 0 && !char.IsWhiteSpace(text[0]) && model.TokenToPiece(token, piece, special: true) > 0 && piece[0] == (byte)' ') continue;
            if (!GrammarAllows(token))
                throw new GrammarException($"The grammar does not accept the generation prompt the template wrote ('{text}', at token {token} '{model.TokenText(token)}').");
            NativeMethods.llama_sampler_accept(_grammar, token);
        }
    }

    private void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(IsClosed || IsInvalid, this);

    /// <summary>Samples from the logits of batch entry <paramref name="batchIndex"/> and accepts the token into the chain.</summary>
    public int Sample(SafeLlamaContextHandle context, int batchIndex)
    {
        ThrowIfDisposed();
        if (_grammar == 0 && !_argmax) return NativeMethods.llama_sampler_sample(handle, context.Raw, batchIndex);

        var logits = NativeMethods.llama_get_logits_ith(context.Raw, batchIndex);
        if (logits == null) throw new LlamaException($"No logits for batch entry {batchIndex}.");
        return SampleFrom(logits);
    }

    /// <summary>
    /// Samples one token for each (sampler, batch entry) pair of the same decoded batch, the samplers in parallel:
    /// with a grammar, sampling a large vocabulary costs more than a small model's decode step, and each sequence's
    /// sampler is independent of the others. A sampler that fails reports its exception in <paramref name="errors"/>
    /// (its token is -1); the others still get theirs.
    /// </summary>
    public static void SampleEach(SafeLlamaContextHandle context, IReadOnlyList<SafeLlamaSamplerHandle> samplers, IReadOnlyList<int> batchIndices, int[] tokens, Exception?[] errors)
    {
        ArgumentNullException.ThrowIfNull(context);
        var n = samplers.Count;
        if (batchIndices.Count != n || tokens.Length < n || errors.Length < n)
            throw new ArgumentException($"SampleEach needs one batch index, token and error slot per sampler ({n} samplers, {batchIndices.Count} indices, {tokens.Length} tokens, {errors.Length} errors).");
        // llama_get_logits_ith reorders the batch's outputs on first use, and llama_sampler_sample synchronizes the
        // context: both stay on this thread. The fan-out only reads the rows fetched here.
        var rows = new nint[n];
        for (var i = 0; i < n; i++)
        {
            samplers[i].ThrowIfDisposed();
            rows[i] = (nint)NativeMethods.llama_get_logits_ith(context.Raw, batchIndices[i]);
        }
        Parallel.For(0, n, i =>
        {
            try
            {
                if (rows[i] == 0) throw new LlamaException($"No logits for batch entry {batchIndices[i]}.");
                tokens[i] = samplers[i].SampleFrom((float*)rows[i]);
                errors[i] = null;
            }
            catch (Exception ex)
            {
                tokens[i] = -1;
                errors[i] = ex;
            }
        });
    }

    private int SampleFrom(float* logits)
    {
        // Greedy alone is an argmax: done in place (SIMD) instead of llama_sampler_sample copying the whole
        // vocabulary into a candidate array every token. Ties go to the lowest id, as llama.cpp's greedy sampler does.
        if (_argmax) return TensorPrimitives.IndexOfMax(new ReadOnlySpan<float>(logits, _vocabCount));
        if (_grammar == 0)
        {
            // What llama_sampler_sample does (copy the row, apply the chain, accept), without touching the context.
            var picked = Pick(logits, grammarFirst: false);
            NativeMethods.llama_sampler_accept(handle, picked);
            return picked;
        }

        // Masking the whole vocabulary with the grammar costs far more than a decode step of a small model with a large
        // vocabulary, and the unconstrained pick is usually allowed anyway: check that one token first and mask only
        // when it is rejected (what llama.cpp's own common_sampler does).
        var token = Pick(logits, grammarFirst: false);
        if (!GrammarAllows(token)) token = Pick(logits, grammarFirst: true);
        NativeMethods.llama_sampler_accept(_grammar, token);
        NativeMethods.llama_sampler_accept(handle, token);
        return token;
    }

    /// <summary>
    /// Samples like <see cref="Sample"/> and also reports probabilities, computed from the candidates left after the
    /// chain (grammar, bias, penalties, top-k/top-p/min-p, temperature): the chosen token's natural-log probability and
    /// up to <paramref name="top"/>.Length most likely candidates, most likely first (ties: lower id first). With
    /// greedy sampling the chain changes no logit, so these are the model's own probabilities and the chosen token
    /// is the first of <paramref name="top"/>.
    /// </summary>
    /// <returns>The token; <paramref name="topCount"/> entries of <paramref name="top"/> are filled.</returns>
    public int SampleWithLogprobs(SafeLlamaContextHandle context, int batchIndex, Span<CandidateLogprob> top, out int topCount, out float chosenLogprob)
    {
        ThrowIfDisposed();
        var logits = NativeMethods.llama_get_logits_ith(context.Raw, batchIndex);
        if (logits == null) throw new LlamaException($"No logits for batch entry {batchIndex}.");
        if (_candidates.Length != _vocabCount) _candidates = new LlamaTokenData[_vocabCount];
        int token;
        fixed (LlamaTokenData* data = _candidates)
        {
            for (var i = 0; i < _candidates.Length; i++) data[i] = new LlamaTokenData { Id = i, Logit = logits[i], P = 0 };
            var array = new LlamaTokenDataArray { Data = data, Size = (nuint)_candidates.Length, Selected = -1, Sorted = false };
            // The whole vocabulary is masked here (no check-first shortcut), so the probabilities are over allowed tokens.
            if (_grammar != 0) NativeMethods.llama_sampler_apply(_grammar, &array);
            NativeMethods.llama_sampler_apply(handle, &array);
            if (array.Selected < 0 || array.Selected >= (long)array.Size) throw new LlamaException("The sampler chain selected no token.");
            token = array.Data[array.Selected].Id;
            topCount = Rank(array.Data, (int)array.Size, array.Data[array.Selected].Logit, top, out chosenLogprob);
        }
        if (_grammar != 0) NativeMethods.llama_sampler_accept(_grammar, token);
        NativeMethods.llama_sampler_accept(handle, token);
        return token;
    }

    /// <summary>Log-softmax over the finite candidates; the best <paramref name="top"/>.Length of them, sorted.</summary>
    private static int Rank(LlamaTokenData* data, int size, float chosenLogit, Span<CandidateLogprob> top, out float chosenLogprob)
    {
        var max = float.NegativeInfinity;
        for (var i = 0; i < size; i++) if (data[i].Logit > max) max = data[i].Logit;
        double sum = 0;
        for (var i = 0; i < size; i++) if (!float.IsNegativeInfinity(data[i].Logit)) sum += Math.Exp(data[i].Logit - max);
        var logZ = max + (float)Math.Log(sum);
        chosenLogprob = chosenLogit - logZ;

        var count = 0;
        for (var i = 0; i < size; i++)
        {
            var candidate = data[i];
            if (float.IsNegativeInfinity(candidate.Logit)) continue;
            // Insertion into a short sorted list: top is at most a few dozen entries.
            var at = count;
            while (at > 0 && Better(candidate, top[at - 1])) at--;
            if (at >= top.Length) continue;
            var end = Math.Min(count, top.Length - 1);
            for (var j = end; j > at; j--) top[j] = top[j - 1];
            top[at] = new CandidateLogprob(candidate.Id, candidate.Logit);
            if (count < top.Length) count++;
        }
        for (var i = 0; i < count; i++) top[i] = top[i] with { Logprob = top[i].Logprob - logZ };
        return count;

        static bool Better(LlamaTokenData a, CandidateLogprob b) => a.Logit > b.Logprob || (a.Logit == b.Logprob && a.Id < b.Token);
    }

    private int Pick(float* logits, bool grammarFirst)
    {
        if (_candidates.Length != _vocabCount) _candidates = new LlamaTokenData[_vocabCount];
        fixed (LlamaTokenData* data = _candidates)
        {
            for (var i = 0; i < _candidates.Length; i++) data[i] = new LlamaTokenData { Id = i, Logit = logits[i], P = 0 };
            var array = new LlamaTokenDataArray { Data = data, Size = (nuint)_candidates.Length, Selected = -1, Sorted = false };
            if (grammarFirst) NativeMethods.llama_sampler_apply(_grammar, &array);
            NativeMethods.llama_sampler_apply(handle, &array);
            if (array.Selected < 0 || array.Selected >= (long)array.Size) throw new LlamaException("The sampler chain selected no token.");
            return array.Data[array.Selected].Id;
        }
    }

    private bool GrammarAllows(int token)
    {
        var single = new LlamaTokenData { Id = token, Logit = 1f, P = 0 };
        var array = new LlamaTokenDataArray { Data = &single, Size = 1, Selected = -1, Sorted = false };
        NativeMethods.llama_sampler_apply(_grammar, &array);
        return !float.IsNegativeInfinity(single.Logit);
    }

    /// <summary>Whether the grammar (if any) allows <paramref name="token"/> next: checked before <see cref="Accept"/>ing a token the chain did not pick.</summary>
    public bool Allows(int token)
    {
        ThrowIfDisposed();
        if ((uint)token >= (uint)_vocabCount) return false;
        return _grammar == 0 || GrammarAllows(token);
    }

    /// <summary>Feeds a token the chain did not pick itself (e.g. prompt tokens for penalties).</summary>
    public void Accept(int token)
    {
        ThrowIfDisposed();
        if (_grammar != 0) NativeMethods.llama_sampler_accept(_grammar, token);
        NativeMethods.llama_sampler_accept(handle, token);
    }

    public void Reset()
    {
        ThrowIfDisposed();
        if (_grammar != 0) NativeMethods.llama_sampler_reset(_grammar);
        NativeMethods.llama_sampler_reset(handle);
    }

    protected override bool ReleaseHandle()
    {
        if (_grammar != 0) NativeMethods.llama_sampler_free(_grammar);
        _grammar = 0;
        NativeMethods.llama_sampler_free(handle);
        return true;
    }
}
