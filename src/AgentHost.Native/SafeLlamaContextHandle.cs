using System.Runtime.InteropServices;
using AgentHost.Native.Interop;

namespace AgentHost.Native;

/// <summary>Result of <see cref="SafeLlamaContextHandle.Decode"/>, as llama_decode reports it.</summary>
public enum DecodeResult
{
    Ok = 0,
    /// <summary>No KV-cache slot was found for the batch (the context is full).</summary>
    NoKvSlot = 1,
    /// <summary>Aborted through the abort callback (cancellation).</summary>
    Aborted = 2,
    InvalidBatch = -1,
    Error = -3,
}

/// <summary>
/// Owns a llama_context (and keeps its model alive). Batches are validated before llama_decode so no bad token,
/// position or sequence id reaches a native assert.
/// </summary>
public sealed unsafe class SafeLlamaContextHandle : SafeHandle
{
    private readonly SafeLlamaModelHandle _model;
    private int* _abortFlag;
    private bool _modelRef;
    private GgmlThreadpool? _threadpool;

    private SafeLlamaContextHandle(SafeLlamaModelHandle model) : base(0, ownsHandle: true)
    {
        _model = model;
    }

    public override bool IsInvalid => handle == 0;

    public SafeLlamaModelHandle Model => _model;
    public uint ContextSize { get; private set; }
    /// <summary>Context available to one sequence (n_ctx_seq).</summary>
    public uint SequenceContextSize { get; private set; }
    public uint BatchSize { get; private set; }
    public uint SequenceCount { get; private set; }

    public static SafeLlamaContextHandle Create(SafeLlamaModelHandle model, ContextParameters parameters)
    {
        ArgumentNullException.ThrowIfNull(model);
        ObjectDisposedException.ThrowIf(model.IsClosed || model.IsInvalid, model);
        if (parameters.Sequences == 0 || parameters.Sequences > NativeMethods.llama_max_parallel_sequences())
            throw new ArgumentOutOfRangeException(nameof(parameters), parameters.Sequences, $"Sequences must be 1..{NativeMethods.llama_max_parallel_sequences()}.");
        if (parameters.BatchSize == 0) throw new ArgumentOutOfRangeException(nameof(parameters), "BatchSize must be positive.");
        if (parameters.Threads <= 0 || parameters.BatchThreads <= 0) throw new ArgumentOutOfRangeException(nameof(parameters), "Threads must be positive.");

        var ctx = new SafeLlamaContextHandle(model);
        var added = false;
        model.DangerousAddRef(ref added);
        ctx._modelRef = added;
        var native = parameters.ToNative();
        ctx._abortFlag = (int*)NativeMemory.AllocZeroed(sizeof(int));
        native.AbortCallback = &OnAbort;
        native.AbortCallbackData = ctx._abortFlag;
        LlamaLog.TakeLastProblem();
        var ptr = NativeMethods.llama_init_from_model(model.DangerousGetHandle(), native);
        if (ptr == 0)
        {
            var reason = LlamaLog.TakeLastProblem() ?? "llama.cpp returned no context";
            ctx.Dispose();
            throw new LlamaException($"Could not create a llama context (n_ctx={parameters.ContextSize}, n_batch={parameters.BatchSize}, sequences={parameters.Sequences}): {reason}");
        }
        ctx.SetHandle(ptr);
        ctx._threadpool = GgmlThreadpool.TryCreate(Math.Max(parameters.Threads, parameters.BatchThreads));
        if (ctx._threadpool is not null) NativeMethods.llama_attach_threadpool(ptr, ctx._threadpool.Handle, 0);
        ctx.ContextSize = NativeMethods.llama_n_ctx(ptr);
        ctx.SequenceContextSize = NativeMethods.llama_n_ctx_seq(ptr);
        ctx.BatchSize = NativeMethods.llama_n_batch(ptr);
        ctx.SequenceCount = NativeMethods.llama_n_seq_max(ptr);
        return ctx;
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(System.Runtime.CompilerServices.CallConvCdecl)])]
    private static bool OnAbort(void* data) => Volatile.Read(ref *(int*)data) != 0;

    /// <summary>Makes the decode in progress (on another thread) stop at its next check and return <see cref="DecodeResult.Aborted"/>.</summary>
    public void RequestAbort()
    {
        if (_abortFlag != null) Volatile.Write(ref *_abortFlag, 1);
    }

    private void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(IsClosed || IsInvalid, this);

    /// <summary>Runs llama_decode on the batch after checking every token, position and sequence id.</summary>
    public DecodeResult Decode(LlamaBatch batch)
    {
        ThrowIfDisposed();
        var native = batch.Native;
        if (native.NTokens == 0) throw new ArgumentException("The batch is empty.", nameof(batch));
        if (native.NTokens > BatchSize) throw new ArgumentException($"The batch has {native.NTokens} tokens; this context takes at most {BatchSize} (n_batch).", nameof(batch));
        for (var i = 0; i < native.NTokens; i++)
        {
            _model.ValidateToken(native.Token[i]);
            var seq = native.SeqId[i][0];
            if ((uint)seq >= SequenceCount) throw new ArgumentException($"Batch entry {i} names sequence {seq}; this context has {SequenceCount}.", nameof(batch));
            if (native.Pos[i] >= SequenceContextSize) throw new ArgumentException($"Batch entry {i} has position {native.Pos[i]}, past the sequence context of {SequenceContextSize}.", nameof(batch));
        }
        Volatile.Write(ref *_abortFlag, 0);
        var rc = NativeMethods.llama_decode(handle, native);
        Volatile.Write(ref *_abortFlag, 0);
        return rc switch
        {
            0 => DecodeResult.Ok,
            1 => DecodeResult.NoKvSlot,
            2 => DecodeResult.Aborted,
            -1 => DecodeResult.InvalidBatch,
            _ => DecodeResult.Error,
        };
    }

    /// <summary>A copy of the logits of batch entry <paramref name="batchIndex"/> (must have been added with logits).</summary>
    public float[] Logits(int batchIndex)
    {
        ThrowIfDisposed();
        var p = NativeMethods.llama_get_logits_ith(handle, batchIndex);
        if (p == null) throw new ArgumentException($"No logits for batch entry {batchIndex}.", nameof(batchIndex));
        return new ReadOnlySpan<float>(p, _model.VocabCount).ToArray();
    }

    /// <summary>The pooled embedding of a sequence (context created with Embeddings=true), or of a batch entry when no pooling.</summary>
    public float[]? SequenceEmbedding(int sequence, int lastBatchIndex)
    {
        ThrowIfDisposed();
        var n = _model.EmbeddingLength;
        var p = NativeMethods.llama_get_embeddings_seq(handle, sequence);
        if (p == null) p = NativeMethods.llama_get_embeddings_ith(handle, lastBatchIndex);
        return p == null ? null : new ReadOnlySpan<float>(p, n).ToArray();
    }

    public void SetEmbeddings(bool on) { ThrowIfDisposed(); NativeMethods.llama_set_embeddings(handle, on); }

    // ---- KV memory per sequence ----
    private nint Memory { get { ThrowIfDisposed(); return NativeMethods.llama_get_memory(handle); } }

    private void CheckSeq(int seq)
    {
        if ((uint)seq >= SequenceCount) throw new ArgumentOutOfRangeException(nameof(seq), seq, $"Sequence ids are 0..{SequenceCount - 1}.");
    }

    public void ClearMemory() => NativeMethods.llama_memory_clear(Memory, true);

    /// <summary>Removes positions [from, to) of a sequence (to = -1: to the end). False if the memory cannot do a partial removal.</summary>
    public bool RemoveTokens(int seq, int from, int to = -1)
    {
        CheckSeq(seq);
        return NativeMethods.llama_memory_seq_rm(Memory, seq, from, to);
    }

    public void CopySequence(int src, int dst, int from = -1, int to = -1)
    {
        CheckSeq(src);
        CheckSeq(dst);
        NativeMethods.llama_memory_seq_cp(Memory, src, dst, from, to);
    }

    public int SequenceMaxPosition(int seq) { CheckSeq(seq); return NativeMethods.llama_memory_seq_pos_max(Memory, seq); }

    /// <summary>Serialises one sequence's KV state (llama_state_seq_get_data).</summary>
    public byte[] SaveSequenceState(int seq)
    {
        CheckSeq(seq);
        var size = NativeMethods.llama_state_seq_get_size(handle, seq);
        var buf = new byte[(int)size];
        fixed (byte* b = buf)
        {
            var written = NativeMethods.llama_state_seq_get_data(handle, b, size, seq);
            if (written != size) Array.Resize(ref buf, (int)written);
        }
        return buf;
    }

    /// <summary>Restores a state saved by <see cref="SaveSequenceState"/> into <paramref name="seq"/>; false if llama.cpp rejected it.</summary>
    public bool RestoreSequenceState(int seq, ReadOnlySpan<byte> state)
    {
        CheckSeq(seq);
        fixed (byte* b = state)
            return NativeMethods.llama_state_seq_set_data(handle, b, (nuint)state.Length, seq) != 0;
    }

    public PerfCounters Perf()
    {
        ThrowIfDisposed();
        var p = NativeMethods.llama_perf_context(handle);
        return new PerfCounters(p.TLoadMs, p.TPEvalMs, p.TEvalMs, p.NPEval, p.NEval);
    }

    public void ResetPerf() { ThrowIfDisposed(); NativeMethods.llama_perf_context_reset(handle); }

    internal nint Raw { get { ThrowIfDisposed(); return handle; } }

    protected override bool ReleaseHandle()
    {
        if (handle != 0) NativeMethods.llama_free(handle);
        _threadpool?.Dispose();
        if (_abortFlag != null) { NativeMemory.Free(_abortFlag); _abortFlag = null; }
        if (_modelRef) _model.DangerousRelease();
        return true;
    }

    protected override void Dispose(bool disposing)
    {
        // A context whose creation failed never got a handle, but still holds the abort flag and a model reference.
        if (IsInvalid && !IsClosed)
        {
            if (_abortFlag != null) { NativeMemory.Free(_abortFlag); _abortFlag = null; }
            if (_modelRef) { _model.DangerousRelease(); _modelRef = false; }
        }
        base.Dispose(disposing);
    }
}

/// <summary>llama_perf_context counters.</summary>
public readonly record struct PerfCounters(double LoadMs, double PromptEvalMs, double EvalMs, int PromptTokens, int EvalTokens);
