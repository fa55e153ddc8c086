namespace AgentHost.Gguf;

/// <summary>
/// The tensors llama.cpp v0.5.0 creates for "llama" and "qwen2" (load_arch_tensors in src/models/llama.cpp and
/// src/models/qwen2.cpp), with the shapes it checks. Shapes are in ggml order: {n_embd, n_vocab} is n_vocab rows of n_embd.
/// </summary>
internal static class SyntheticTensorLayout
{
    public static IReadOnlyList<SyntheticTensor> For(SyntheticModelSpec spec, int vocabSize)
    {
        long embd = spec.EmbeddingLength, ff = spec.FeedForwardLength, vocab = vocabSize;
        long kv = (long)spec.HeadCountKv * spec.HeadDimension;
        var matrix = spec.TensorType;
        var withQkvBias = spec.Architecture == "qwen2";

        var tensors = new List<SyntheticTensor> { new("token_embd.weight", [embd, vocab], matrix, SyntheticInit.Weight) };
        for (var i = 0; i < spec.BlockCount; i++)
        {
            var p = $"blk.{i}.";
            tensors.Add(new(p + "attn_norm.weight", [embd], GgmlType.F32, SyntheticInit.Norm));
            tensors.Add(new(p + "attn_q.weight", [embd, embd], matrix, SyntheticInit.Weight));
            if (withQkvBias) tensors.Add(new(p + "attn_q.bias", [embd], GgmlType.F32, SyntheticInit.Bias));
            tensors.Add(new(p + "attn_k.weight", [embd, kv], matrix, SyntheticInit.Weight));
            if (withQkvBias) tensors.Add(new(p + "attn_k.bias", [kv], GgmlType.F32, SyntheticInit.Bias));
            tensors.Add(new(p + "attn_v.weight", [embd, kv], matrix, SyntheticInit.Weight));
            if (withQkvBias) tensors.Add(new(p + "attn_v.bias", [kv], GgmlType.F32, SyntheticInit.Bias));
            tensors.Add(new(p + "attn_output.weight", [embd, embd], matrix, SyntheticInit.Weight));
            tensors.Add(new(p + "ffn_norm.weight", [embd], GgmlType.F32, SyntheticInit.Norm));
            tensors.Add(new(p + "ffn_gate.weight", [embd, ff], matrix, SyntheticInit.Weight));
            tensors.Add(new(p + "ffn_up.weight", [embd, ff], matrix, SyntheticInit.Weight));
            tensors.Add(new(p + "ffn_down.weight", [ff, embd], matrix, SyntheticInit.Weight));
        }
        tensors.Add(new("output_norm.weight", [embd], GgmlType.F32, SyntheticInit.Norm));
        if (!spec.TiedEmbeddings) tensors.Add(new("output.weight", [embd, vocab], matrix, SyntheticInit.Weight));
        return tensors;
    }
}
