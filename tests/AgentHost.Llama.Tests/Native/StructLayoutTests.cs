using System.Diagnostics;
using System.Runtime.CompilerServices;
using AgentHost.Native.Interop;

namespace AgentHost.Llama.Tests.Native;

/// <summary>
/// Compiles a C program against include/llama.h of the pinned llama.cpp source and compares every sizeof/offsetof
/// it prints with the C# declarations, so a struct that drifts from the header fails here, not in native code.
/// </summary>
public unsafe class StructLayoutTests
{
    private static readonly (string Struct, string[] Fields)[] Layouts =
    [
        ("llama_token_data", ["id", "logit", "p"]),
        ("llama_token_data_array", ["data", "size", "selected", "sorted"]),
        ("llama_batch", ["n_tokens", "token", "embd", "pos", "n_seq_id", "seq_id", "logits"]),
        ("llama_model_params", ["devices", "tensor_buft_overrides", "n_gpu_layers", "split_mode", "load_mode", "lazy_mode", "main_gpu", "tensor_split", "progress_callback", "progress_callback_user_data", "kv_overrides", "vocab_only", "check_tensors", "use_extra_bufts", "no_host", "no_alloc", "load_mtp"]),
        ("llama_context_params", ["n_ctx", "n_batch", "n_ubatch", "n_seq_max", "n_rs_seq", "n_outputs_max", "n_outputs_max_per_seq", "n_threads", "n_threads_batch", "ctx_type", "rope_scaling_type", "pooling_type", "attention_type", "flash_attn_type", "rope_freq_base", "rope_freq_scale", "yarn_ext_factor", "yarn_attn_factor", "yarn_beta_fast", "yarn_beta_slow", "yarn_orig_ctx", "defrag_thold", "cb_eval", "cb_eval_user_data", "type_k", "type_v", "abort_callback", "abort_callback_data", "embeddings", "offload_kqv", "no_perf", "op_offload", "swa_full", "kv_unified", "samplers", "n_samplers", "ctx_other"]),
        ("llama_logit_bias", ["token", "bias"]),
        ("llama_sampler_chain_params", ["no_perf"]),
        ("llama_chat_message", ["role", "content"]),
        ("llama_perf_context_data", ["t_start_ms", "t_load_ms", "t_p_eval_ms", "t_eval_ms", "n_p_eval", "n_eval", "n_reused"]),
        ("llama_perf_sampler_data", ["t_sample_ms", "n_sample"]),
        ("ggml_threadpool_params", ["cpumask", "n_threads", "prio", "poll", "strict_cpu", "paused"]),
    ];

    [Fact]
    public void CSharpLayoutsMatchLlamaH()
    {
        var expected = CompileAndRunLayoutProgram();
        var actual = ManagedLayouts();
        var mismatches = expected.Where(kv => !actual.TryGetValue(kv.Key, out var v) || v != kv.Value)
            .Select(kv => $"{kv.Key}: C {kv.Value}, C# {(actual.TryGetValue(kv.Key, out var v) ? v : "missing")}").ToList();
        Assert.True(expected.Count > 80, $"the C program printed only {expected.Count} facts");
        Assert.Empty(mismatches);
    }

    private static Dictionary<string, long> CompileAndRunLayoutProgram()
    {
        var dir = TestAssets.NewTempDir("layout");
        var c = new System.Text.StringBuilder("#include <stdio.h>\n#include <stddef.h>\n#include \"llama.h\"\nint main(void){\n");
        foreach (var (s, fields) in Layouts)
        {
            var type = s is "llama_model_params" or "llama_context_params" or "llama_perf_context_data" or "llama_perf_sampler_data" or "ggml_threadpool_params" ? $"struct {s}" : s;
            c.Append($"printf(\"{s} %zu\\n\", sizeof({type}));\n");
            foreach (var f in fields) c.Append($"printf(\"{s}.{f} %zu\\n\", offsetof({type}, {f}));\n");
        }
        c.Append("return 0;}\n");
        var src = Path.Combine(dir, "layout.c");
        File.WriteAllText(src, c.ToString());
        var exe = Path.Combine(dir, "layout");
        Run("gcc", $"-std=c11 -I \"{Path.Combine(TestAssets.LlamaSource, "include")}\" -I \"{Path.Combine(TestAssets.LlamaSource, "ggml", "include")}\" -o \"{exe}\" \"{src}\"");
        return Run(exe, "").Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => l.Split(' ')).ToDictionary(p => p[0], p => long.Parse(p[1]));
    }

    private static string Run(string file, string args)
    {
        using var p = Process.Start(new ProcessStartInfo(file, args) { RedirectStandardOutput = true, RedirectStandardError = true })!;
        var stdout = p.StandardOutput.ReadToEnd();
        var stderr = p.StandardError.ReadToEnd();
        p.WaitForExit();
        Assert.True(p.ExitCode == 0, $"{file} failed: {stderr}");
        return stdout;
    }

    private static long Off<T, TField>(ref T s, ref TField f) => Unsafe.ByteOffset(ref Unsafe.As<T, byte>(ref s), ref Unsafe.As<TField, byte>(ref f));

    private static Dictionary<string, long> ManagedLayouts()
    {
        var d = new Dictionary<string, long>();
        void Add(string s, long size, params (string, long)[] fields)
        {
            d[s] = size;
            foreach (var (f, o) in fields) d[$"{s}.{f}"] = o;
        }
        var td = new LlamaTokenData();
        Add("llama_token_data", sizeof(LlamaTokenData), ("id", Off(ref td, ref td.Id)), ("logit", Off(ref td, ref td.Logit)), ("p", Off(ref td, ref td.P)));
        var ta = new LlamaTokenDataArray();
        Add("llama_token_data_array", sizeof(LlamaTokenDataArray), ("data", P(&ta, &ta.Data)), ("size", Off(ref ta, ref ta.Size)), ("selected", Off(ref ta, ref ta.Selected)), ("sorted", Off(ref ta, ref ta.Sorted)));
        var b = new LlamaBatchNative();
        Add("llama_batch", sizeof(LlamaBatchNative), ("n_tokens", Off(ref b, ref b.NTokens)), ("token", P(&b, &b.Token)), ("embd", P(&b, &b.Embd)), ("pos", P(&b, &b.Pos)), ("n_seq_id", P(&b, &b.NSeqId)), ("seq_id", P(&b, &b.SeqId)), ("logits", P(&b, &b.Logits)));
        var m = new LlamaModelParams();
        Add("llama_model_params", sizeof(LlamaModelParams),
            ("devices", Off(ref m, ref m.Devices)), ("tensor_buft_overrides", Off(ref m, ref m.TensorBuftOverrides)), ("n_gpu_layers", Off(ref m, ref m.NGpuLayers)),
            ("split_mode", Off(ref m, ref m.SplitMode)), ("load_mode", Off(ref m, ref m.LoadMode)), ("lazy_mode", Off(ref m, ref m.LazyMode)), ("main_gpu", Off(ref m, ref m.MainGpu)),
            ("tensor_split", P(&m, &m.TensorSplit)), ("progress_callback", P(&m, &m.ProgressCallback)), ("progress_callback_user_data", P(&m, &m.ProgressCallbackUserData)),
            ("kv_overrides", Off(ref m, ref m.KvOverrides)), ("vocab_only", Off(ref m, ref m.VocabOnly)), ("check_tensors", Off(ref m, ref m.CheckTensors)),
            ("use_extra_bufts", Off(ref m, ref m.UseExtraBufts)), ("no_host", Off(ref m, ref m.NoHost)), ("no_alloc", Off(ref m, ref m.NoAlloc)), ("load_mtp", Off(ref m, ref m.LoadMtp)));
        var c = new LlamaContextParams();
        Add("llama_context_params", sizeof(LlamaContextParams),
            ("n_ctx", Off(ref c, ref c.NCtx)), ("n_batch", Off(ref c, ref c.NBatch)), ("n_ubatch", Off(ref c, ref c.NUbatch)), ("n_seq_max", Off(ref c, ref c.NSeqMax)),
            ("n_rs_seq", Off(ref c, ref c.NRsSeq)), ("n_outputs_max", Off(ref c, ref c.NOutputsMax)), ("n_outputs_max_per_seq", Off(ref c, ref c.NOutputsMaxPerSeq)),
            ("n_threads", Off(ref c, ref c.NThreads)), ("n_threads_batch", Off(ref c, ref c.NThreadsBatch)), ("ctx_type", Off(ref c, ref c.CtxType)),
            ("rope_scaling_type", Off(ref c, ref c.RopeScalingType)), ("pooling_type", Off(ref c, ref c.PoolingType)), ("attention_type", Off(ref c, ref c.AttentionType)),
            ("flash_attn_type", Off(ref c, ref c.FlashAttnType)), ("rope_freq_base", Off(ref c, ref c.RopeFreqBase)), ("rope_freq_scale", Off(ref c, ref c.RopeFreqScale)),
            ("yarn_ext_factor", Off(ref c, ref c.YarnExtFactor)), ("yarn_attn_factor", Off(ref c, ref c.YarnAttnFactor)), ("yarn_beta_fast", Off(ref c, ref c.YarnBetaFast)),
            ("yarn_beta_slow", Off(ref c, ref c.YarnBetaSlow)), ("yarn_orig_ctx", Off(ref c, ref c.YarnOrigCtx)), ("defrag_thold", Off(ref c, ref c.DefragThold)),
            ("cb_eval", Off(ref c, ref c.CbEval)), ("cb_eval_user_data", P(&c, &c.CbEvalUserData)), ("type_k", Off(ref c, ref c.TypeK)), ("type_v", Off(ref c, ref c.TypeV)),
            ("abort_callback", P(&c, &c.AbortCallback)), ("abort_callback_data", P(&c, &c.AbortCallbackData)), ("embeddings", Off(ref c, ref c.Embeddings)),
            ("offload_kqv", Off(ref c, ref c.OffloadKqv)), ("no_perf", Off(ref c, ref c.NoPerf)), ("op_offload", Off(ref c, ref c.OpOffload)), ("swa_full", Off(ref c, ref c.SwaFull)),
            ("kv_unified", Off(ref c, ref c.KvUnified)), ("samplers", Off(ref c, ref c.Samplers)), ("n_samplers", Off(ref c, ref c.NSamplers)), ("ctx_other", Off(ref c, ref c.CtxOther)));
        var lb = new LlamaLogitBias();
        Add("llama_logit_bias", sizeof(LlamaLogitBias), ("token", Off(ref lb, ref lb.Token)), ("bias", Off(ref lb, ref lb.Bias)));
        var sc = new LlamaSamplerChainParams();
        Add("llama_sampler_chain_params", sizeof(LlamaSamplerChainParams), ("no_perf", Off(ref sc, ref sc.NoPerf)));
        var cm = new LlamaChatMessage();
        Add("llama_chat_message", sizeof(LlamaChatMessage), ("role", P(&cm, &cm.Role)), ("content", P(&cm, &cm.Content)));
        var pc = new LlamaPerfContextData();
        Add("llama_perf_context_data", sizeof(LlamaPerfContextData), ("t_start_ms", Off(ref pc, ref pc.TStartMs)), ("t_load_ms", Off(ref pc, ref pc.TLoadMs)),
            ("t_p_eval_ms", Off(ref pc, ref pc.TPEvalMs)), ("t_eval_ms", Off(ref pc, ref pc.TEvalMs)), ("n_p_eval", Off(ref pc, ref pc.NPEval)), ("n_eval", Off(ref pc, ref pc.NEval)), ("n_reused", Off(ref pc, ref pc.NReused)));
        var ps = new LlamaPerfSamplerData();
        Add("llama_perf_sampler_data", sizeof(LlamaPerfSamplerData), ("t_sample_ms", Off(ref ps, ref ps.TSampleMs)), ("n_sample", Off(ref ps, ref ps.NSample)));
        var tp = new GgmlThreadpoolParams();
        Add("ggml_threadpool_params", sizeof(GgmlThreadpoolParams), ("cpumask", P(&tp, tp.CpuMask)), ("n_threads", Off(ref tp, ref tp.NThreads)), ("prio", Off(ref tp, ref tp.Prio)),
            ("poll", Off(ref tp, ref tp.Poll)), ("strict_cpu", Off(ref tp, ref tp.StrictCpu)), ("paused", Off(ref tp, ref tp.Paused)));
        return d;
    }

    private static long P<T>(T* s, void* field) where T : unmanaged => (byte*)field - (byte*)s;
}
