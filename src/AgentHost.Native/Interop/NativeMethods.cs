using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

[assembly: DisableRuntimeMarshalling]

namespace AgentHost.Native.Interop;

/// <summary>
/// The llama.h / ggml-backend.h entry points AgentHost uses. Library names are logical ("llama", "ggml",
/// "ggml-base"); <see cref="LlamaNativeLibrary"/> resolves them to the files of the chosen runtime.
/// Pointers to native objects are raw here and wrapped in SafeHandles one level up.
/// </summary>
internal static unsafe partial class NativeMethods
{
    internal const string Llama = "llama";
    internal const string Ggml = "ggml";
    internal const string GgmlBase = "ggml-base";

    // ---- backend / devices ----
    [LibraryImport(Llama)] internal static partial void llama_backend_init();
    [LibraryImport(Llama)] internal static partial void llama_backend_free();
    [LibraryImport(Llama)] internal static partial byte* llama_print_system_info();
    [LibraryImport(Llama)][return: MarshalAs(UnmanagedType.U1)] internal static partial bool llama_supports_gpu_offload();
    [LibraryImport(Llama)] internal static partial nuint llama_max_devices();
    [LibraryImport(Llama)] internal static partial nuint llama_max_parallel_sequences();
    [LibraryImport(Llama)] internal static partial long llama_time_us();
    [LibraryImport(Llama)] internal static partial void llama_log_set(delegate* unmanaged[Cdecl]<int, byte*, void*, void> callback, void* userData);

    [LibraryImport(Ggml, StringMarshalling = StringMarshalling.Utf8)] internal static partial void ggml_backend_load_all_from_path(string dirPath);
    [LibraryImport(Ggml, StringMarshalling = StringMarshalling.Utf8)] internal static partial nint ggml_backend_load(string path);
    [LibraryImport(Ggml)] internal static partial nuint ggml_backend_dev_count();
    [LibraryImport(Ggml)] internal static partial nint ggml_backend_dev_get(nuint index);
    [LibraryImport(Ggml)] internal static partial nuint ggml_backend_reg_count();
    [LibraryImport(GgmlBase)] internal static partial byte* ggml_backend_dev_name(nint device);
    [LibraryImport(GgmlBase)] internal static partial byte* ggml_backend_dev_description(nint device);
    [LibraryImport(GgmlBase)] internal static partial int ggml_backend_dev_type(nint device);
    [LibraryImport(GgmlBase)] internal static partial void ggml_backend_dev_memory(nint device, nuint* free, nuint* total);
    [LibraryImport(Ggml)] internal static partial nint ggml_backend_dev_by_type(int type);
    [LibraryImport(GgmlBase)] internal static partial nint ggml_backend_dev_backend_reg(nint device);
    [LibraryImport(GgmlBase, StringMarshalling = StringMarshalling.Utf8)] internal static partial void* ggml_backend_reg_get_proc_address(nint reg, string name);
    [LibraryImport(GgmlBase)] internal static partial GgmlThreadpoolParams ggml_threadpool_params_default(int nThreads);
    [LibraryImport(GgmlBase)] internal static partial void ggml_log_set(delegate* unmanaged[Cdecl]<int, byte*, void*, void> callback, void* userData);

    // ---- defaults ----
    [LibraryImport(Llama)] internal static partial LlamaModelParams llama_model_default_params();
    [LibraryImport(Llama)] internal static partial LlamaContextParams llama_context_default_params();
    [LibraryImport(Llama)] internal static partial LlamaSamplerChainParams llama_sampler_chain_default_params();

    // ---- model ----
    [LibraryImport(Llama, StringMarshalling = StringMarshalling.Utf8)] internal static partial nint llama_model_load_from_file(string path, LlamaModelParams parameters);
    [LibraryImport(Llama)] internal static partial void llama_model_free(nint model);
    [LibraryImport(Llama)] internal static partial nint llama_model_get_vocab(nint model);
    [LibraryImport(Llama)] internal static partial int llama_model_n_ctx_train(nint model);
    [LibraryImport(Llama)] internal static partial int llama_model_n_embd(nint model);
    [LibraryImport(Llama)] internal static partial int llama_model_n_layer(nint model);
    [LibraryImport(Llama)] internal static partial int llama_model_n_head(nint model);
    [LibraryImport(Llama)] internal static partial int llama_model_n_head_kv(nint model);
    [LibraryImport(Llama)] internal static partial ulong llama_model_size(nint model);
    [LibraryImport(Llama)] internal static partial ulong llama_model_n_params(nint model);
    [LibraryImport(Llama)] internal static partial int llama_model_desc(nint model, byte* buf, nuint bufSize);
    [LibraryImport(Llama)] internal static partial int llama_model_ftype(nint model);
    [LibraryImport(Llama)] internal static partial byte* llama_ftype_name(int ftype);
    [LibraryImport(Llama, StringMarshalling = StringMarshalling.Utf8)] internal static partial byte* llama_model_chat_template(nint model, string? name);
    [LibraryImport(Llama)] internal static partial int llama_model_meta_count(nint model);
    [LibraryImport(Llama)] internal static partial int llama_model_meta_key_by_index(nint model, int i, byte* buf, nuint bufSize);
    [LibraryImport(Llama)] internal static partial int llama_model_meta_val_str_by_index(nint model, int i, byte* buf, nuint bufSize);
    [LibraryImport(Llama)][return: MarshalAs(UnmanagedType.U1)] internal static partial bool llama_model_has_encoder(nint model);
    [LibraryImport(Llama)][return: MarshalAs(UnmanagedType.U1)] internal static partial bool llama_model_is_recurrent(nint model);

    // ---- vocab ----
    [LibraryImport(Llama)] internal static partial int llama_vocab_type(nint vocab);
    [LibraryImport(Llama)] internal static partial int llama_vocab_n_tokens(nint vocab);
    [LibraryImport(Llama)] internal static partial int llama_vocab_bos(nint vocab);
    [LibraryImport(Llama)] internal static partial int llama_vocab_eos(nint vocab);
    [LibraryImport(Llama)] internal static partial int llama_vocab_eot(nint vocab);
    [LibraryImport(Llama)] internal static partial int llama_vocab_nl(nint vocab);
    [LibraryImport(Llama)] internal static partial int llama_vocab_pad(nint vocab);
    [LibraryImport(Llama)][return: MarshalAs(UnmanagedType.U1)] internal static partial bool llama_vocab_get_add_bos(nint vocab);
    [LibraryImport(Llama)][return: MarshalAs(UnmanagedType.U1)] internal static partial bool llama_vocab_get_add_eos(nint vocab);
    [LibraryImport(Llama)][return: MarshalAs(UnmanagedType.U1)] internal static partial bool llama_vocab_is_eog(nint vocab, int token);
    [LibraryImport(Llama)][return: MarshalAs(UnmanagedType.U1)] internal static partial bool llama_vocab_is_control(nint vocab, int token);
    [LibraryImport(Llama)] internal static partial byte* llama_vocab_get_text(nint vocab, int token);
    [LibraryImport(Llama)] internal static partial int llama_vocab_get_attr(nint vocab, int token);
    [LibraryImport(Llama)] internal static partial int llama_tokenize(nint vocab, byte* text, int textLen, int* tokens, int nTokensMax, [MarshalAs(UnmanagedType.U1)] bool addSpecial, [MarshalAs(UnmanagedType.U1)] bool parseSpecial);
    [LibraryImport(Llama)] internal static partial int llama_token_to_piece(nint vocab, int token, byte* buf, int length, int lstrip, [MarshalAs(UnmanagedType.U1)] bool special);
    [LibraryImport(Llama)] internal static partial int llama_detokenize(nint vocab, int* tokens, int nTokens, byte* text, int textLenMax, [MarshalAs(UnmanagedType.U1)] bool removeSpecial, [MarshalAs(UnmanagedType.U1)] bool unparseSpecial);
    [LibraryImport(Llama)] internal static partial int llama_chat_apply_template(byte* tmpl, LlamaChatMessage* chat, nuint nMsg, [MarshalAs(UnmanagedType.U1)] bool addAss, byte* buf, int length);
    [LibraryImport(Llama)] internal static partial int llama_chat_builtin_templates(byte** output, nuint len);

    // ---- context ----
    [LibraryImport(Llama)] internal static partial nint llama_init_from_model(nint model, LlamaContextParams parameters);
    [LibraryImport(Llama)] internal static partial void llama_free(nint ctx);
    [LibraryImport(Llama)] internal static partial uint llama_n_ctx(nint ctx);
    [LibraryImport(Llama)] internal static partial uint llama_n_ctx_seq(nint ctx);
    [LibraryImport(Llama)] internal static partial uint llama_n_batch(nint ctx);
    [LibraryImport(Llama)] internal static partial uint llama_n_ubatch(nint ctx);
    [LibraryImport(Llama)] internal static partial uint llama_n_seq_max(nint ctx);
    [LibraryImport(Llama)] internal static partial nint llama_get_memory(nint ctx);
    [LibraryImport(Llama)] internal static partial int llama_decode(nint ctx, LlamaBatchNative batch);
    [LibraryImport(Llama)] internal static partial void llama_attach_threadpool(nint ctx, nint threadpool, nint threadpoolBatch);
    [LibraryImport(Llama)] internal static partial void llama_detach_threadpool(nint ctx);
    [LibraryImport(Llama)] internal static partial void llama_set_n_threads(nint ctx, int nThreads, int nThreadsBatch);
    [LibraryImport(Llama)] internal static partial void llama_set_abort_callback(nint ctx, delegate* unmanaged[Cdecl]<void*, bool> callback, void* data);
    [LibraryImport(Llama)] internal static partial void llama_set_embeddings(nint ctx, [MarshalAs(UnmanagedType.U1)] bool embeddings);
    [LibraryImport(Llama)] internal static partial void llama_synchronize(nint ctx);
    [LibraryImport(Llama)] internal static partial float* llama_get_logits_ith(nint ctx, int i);
    [LibraryImport(Llama)] internal static partial float* llama_get_embeddings_seq(nint ctx, int seqId);
    [LibraryImport(Llama)] internal static partial float* llama_get_embeddings_ith(nint ctx, int i);
    [LibraryImport(Llama)] internal static partial LlamaPerfContextData llama_perf_context(nint ctx);
    [LibraryImport(Llama)] internal static partial void llama_perf_context_reset(nint ctx);

    // ---- memory (KV cache) ----
    [LibraryImport(Llama)] internal static partial void llama_memory_clear(nint mem, [MarshalAs(UnmanagedType.U1)] bool data);
    [LibraryImport(Llama)][return: MarshalAs(UnmanagedType.U1)] internal static partial bool llama_memory_seq_rm(nint mem, int seqId, int p0, int p1);
    [LibraryImport(Llama)] internal static partial void llama_memory_seq_cp(nint mem, int src, int dst, int p0, int p1);
    [LibraryImport(Llama)] internal static partial void llama_memory_seq_keep(nint mem, int seqId);
    [LibraryImport(Llama)] internal static partial void llama_memory_seq_add(nint mem, int seqId, int p0, int p1, int delta);
    [LibraryImport(Llama)] internal static partial int llama_memory_seq_pos_min(nint mem, int seqId);
    [LibraryImport(Llama)] internal static partial int llama_memory_seq_pos_max(nint mem, int seqId);
    [LibraryImport(Llama)][return: MarshalAs(UnmanagedType.U1)] internal static partial bool llama_memory_can_shift(nint mem);

    // ---- sequence state ----
    [LibraryImport(Llama)] internal static partial nuint llama_state_seq_get_size(nint ctx, int seqId);
    [LibraryImport(Llama)] internal static partial nuint llama_state_seq_get_data(nint ctx, byte* dst, nuint size, int seqId);
    [LibraryImport(Llama)] internal static partial nuint llama_state_seq_set_data(nint ctx, byte* src, nuint size, int destSeqId);

    // ---- batch ----
    [LibraryImport(Llama)] internal static partial LlamaBatchNative llama_batch_init(int nTokens, int embd, int nSeqMax);
    [LibraryImport(Llama)] internal static partial void llama_batch_free(LlamaBatchNative batch);

    // ---- samplers ----
    [LibraryImport(Llama)] internal static partial nint llama_sampler_chain_init(LlamaSamplerChainParams parameters);
    [LibraryImport(Llama)] internal static partial void llama_sampler_chain_add(nint chain, nint sampler);
    [LibraryImport(Llama)] internal static partial int llama_sampler_chain_n(nint chain);
    [LibraryImport(Llama)] internal static partial nint llama_sampler_init_greedy();
    [LibraryImport(Llama)] internal static partial nint llama_sampler_init_dist(uint seed);
    [LibraryImport(Llama)] internal static partial nint llama_sampler_init_top_k(int k);
    [LibraryImport(Llama)] internal static partial nint llama_sampler_init_top_p(float p, nuint minKeep);
    [LibraryImport(Llama)] internal static partial nint llama_sampler_init_min_p(float p, nuint minKeep);
    [LibraryImport(Llama)] internal static partial nint llama_sampler_init_temp(float t);
    [LibraryImport(Llama)] internal static partial nint llama_sampler_init_penalties(int nVocab, int penaltyLastN, float penaltyRepeat, float penaltyFreq, float penaltyPresent);
    [LibraryImport(Llama)] internal static partial nint llama_sampler_init_logit_bias(int nVocab, int nLogitBias, LlamaLogitBias* logitBias);
    [LibraryImport(Llama)] internal static partial nint llama_sampler_init_grammar(nint vocab, byte* grammarStr, byte* grammarRoot);
    [LibraryImport(Llama)] internal static partial nint llama_sampler_init_grammar_lazy_patterns(nint vocab, byte* grammarStr, byte* grammarRoot, byte** triggerPatterns, nuint numTriggerPatterns, int* triggerTokens, nuint numTriggerTokens);
    [LibraryImport(Llama)] internal static partial void llama_sampler_accept(nint sampler, int token);
    [LibraryImport(Llama)] internal static partial void llama_sampler_apply(nint sampler, LlamaTokenDataArray* curP);
    [LibraryImport(Llama)] internal static partial void llama_sampler_reset(nint sampler);
    [LibraryImport(Llama)] internal static partial void llama_sampler_free(nint sampler);
    [LibraryImport(Llama)] internal static partial int llama_sampler_sample(nint sampler, nint ctx, int idx);
    [LibraryImport(Llama)] internal static partial uint llama_sampler_get_seed(nint sampler);
    [LibraryImport(Llama)] internal static partial LlamaPerfSamplerData llama_perf_sampler(nint chain);
}
