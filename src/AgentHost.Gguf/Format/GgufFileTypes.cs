namespace AgentHost.Gguf;

/// <summary>
/// Names for the general.file_type values (enum llama_ftype in include/llama.h of llama.cpp v0.5.0):
/// "F32", "F16", "Q8_0", "Q4_K_M" ... the names model files are usually labelled with.
/// </summary>
public static class GgufFileTypes
{
    /// <summary>general.file_type of a file whose tensors are all F32.</summary>
    public const int AllF32 = 0;
    /// <summary>general.file_type of a file whose matrices are F16 (1-D tensors F32).</summary>
    public const int MostlyF16 = 1;
    /// <summary>general.file_type of a file whose matrices are Q8_0 (1-D tensors F32).</summary>
    public const int MostlyQ8_0 = 7;

    private static readonly Dictionary<int, string> Names = new()
    {
        [0] = "F32", [1] = "F16", [2] = "Q4_0", [3] = "Q4_1", [7] = "Q8_0", [8] = "Q5_0", [9] = "Q5_1",
        [10] = "Q2_K", [11] = "Q3_K_S", [12] = "Q3_K_M", [13] = "Q3_K_L", [14] = "Q4_K_S", [15] = "Q4_K_M",
        [16] = "Q5_K_S", [17] = "Q5_K_M", [18] = "Q6_K", [19] = "IQ2_XXS", [20] = "IQ2_XS", [21] = "Q2_K_S",
        [22] = "IQ3_XS", [23] = "IQ3_XXS", [24] = "IQ1_S", [25] = "IQ4_NL", [26] = "IQ3_S", [27] = "IQ3_M",
        [28] = "IQ2_S", [29] = "IQ2_M", [30] = "IQ4_XS", [31] = "IQ1_M", [32] = "BF16", [36] = "TQ1_0",
        [37] = "TQ2_0", [38] = "MXFP4_MOE", [39] = "NVFP4", [40] = "Q1_0", [41] = "Q2_0",
    };

    /// <summary>The name of a general.file_type value, or null when llama.cpp v0.5.0 does not define it.</summary>
    public static string? GetName(long fileType) =>
        fileType is >= 0 and <= int.MaxValue && Names.TryGetValue((int)fileType, out var name) ? name : null;

    /// <summary>The general.file_type that describes a model whose matrices use <paramref name="type"/>, when there is one.</summary>
    public static int? ForTensorType(GgmlType type) => type switch
    {
        GgmlType.F32 => AllF32,
        GgmlType.F16 => MostlyF16,
        GgmlType.Q8_0 => MostlyQ8_0,
        GgmlType.Q4_0 => 2,
        GgmlType.Q4_1 => 3,
        GgmlType.Q5_0 => 8,
        GgmlType.Q5_1 => 9,
        GgmlType.BF16 => 32,
        _ => null,
    };
}
