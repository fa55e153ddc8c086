using AgentHost.Native.Interop;

namespace AgentHost.Native;

/// <summary>
/// A reusable llama_batch of up to <see cref="Capacity"/> tokens, each for one sequence. The decode loop fills it
/// with <see cref="Add"/>, hands it to <see cref="SafeLlamaContextHandle.Decode"/>, then <see cref="Clear"/>s it.
/// </summary>
public sealed unsafe class LlamaBatch : IDisposable
{
    private LlamaBatchNative _batch;
    private bool _disposed;

    public LlamaBatch(int capacity)
    {
        if (capacity <= 0) throw new ArgumentOutOfRangeException(nameof(capacity), capacity, "A batch holds at least one token.");
        Capacity = capacity;
        _batch = NativeMethods.llama_batch_init(capacity, 0, 1);
    }

    public int Capacity { get; }
    public int Count => _batch.NTokens;

    /// <summary>Adds a token at <paramref name="position"/> of sequence <paramref name="sequence"/>; returns its index in the batch.</summary>
    public int Add(int token, int position, int sequence, bool wantLogits)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_batch.NTokens >= Capacity) throw new InvalidOperationException($"The batch is full ({Capacity} tokens).");
        if (position < 0) throw new ArgumentOutOfRangeException(nameof(position), position, "Positions are non-negative.");
        if (sequence < 0) throw new ArgumentOutOfRangeException(nameof(sequence), sequence, "Sequence ids are non-negative.");
        var i = _batch.NTokens;
        _batch.Token[i] = token;
        _batch.Pos[i] = position;
        _batch.NSeqId[i] = 1;
        _batch.SeqId[i][0] = sequence;
        _batch.Logits[i] = (sbyte)(wantLogits ? 1 : 0);
        _batch.NTokens = i + 1;
        return i;
    }

    public int TokenAt(int index) => _batch.Token[CheckIndex(index)];
    public int SequenceAt(int index) => _batch.SeqId[CheckIndex(index)][0];

    private int CheckIndex(int index) =>
        (uint)index < (uint)_batch.NTokens ? index : throw new ArgumentOutOfRangeException(nameof(index));

    public void Clear() => _batch.NTokens = 0;

    internal LlamaBatchNative Native => _batch;

    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        NativeMethods.llama_batch_free(_batch);
        _batch = default;
    }
}
