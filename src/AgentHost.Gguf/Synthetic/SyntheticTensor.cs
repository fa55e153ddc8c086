namespace AgentHost.Gguf;

/// <summary>How a synthetic tensor's values are drawn.</summary>
internal enum SyntheticInit
{
    /// <summary>Matrix: small values around 0 (std 0.02), so activations and logits stay finite.</summary>
    Weight,
    /// <summary>RMS norm scale: values around 1.</summary>
    Norm,
    /// <summary>Bias: small values around 0.</summary>
    Bias,
}

/// <summary>One tensor of a synthetic model: name, ggml-order shape, storage type and value distribution.</summary>
internal sealed record SyntheticTensor(string Name, long[] Dimensions, GgmlType Type, SyntheticInit Init)
{
    public long ElementCount => Dimensions.Aggregate(1L, (p, d) => p * d);
}
