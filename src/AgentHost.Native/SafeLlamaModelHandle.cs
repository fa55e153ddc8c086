using System.Runtime.InteropServices;
using System.Text;
using AgentHost.Native.Interop;

namespace AgentHost.Native;

/// <summary>
/// Owns a llama_model. Vocabulary and metadata calls go through here with validated arguments, so nothing above
/// the native layer handles pointers and no out-of-range token reaches a llama.cpp assert.
/// </summary>
public sealed unsafe class SafeLlamaModelHandle : SafeHandle
{
    private nint _vocab;

    private SafeLlamaModelHandle() : base(0, ownsHandle: true) { }

    public override bool IsInvalid => handle == 0;

    /// <summary>Number of tokens in the vocabulary.</summary>
    public int VocabCount { get; private set; }

    /// <summary>
    /// Loads a GGUF. <paramref name="progress"/> receives 0..1; cancelling <paramref name="cancellationToken"/>
    /// aborts the load through llama.cpp's progress callback and throws <see cref="OperationCanceledException"/>.
    /// </summary>
    public static SafeLlamaModelHandle Load(string path, ModelLoadParameters parameters, IProgress<float>? progress = null, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var native = parameters.ToNative();
        var state = new LoadState(progress, cancellationToken);
        var gc = GCHandle.Alloc(state);
        LlamaLog.TakeLastProblem();
        try
        {
            native.ProgressCallback = &OnProgress;
            native.ProgressCallbackUserData = (void*)GCHandle.ToIntPtr(gc);
            var ptr = NativeMethods.llama_model_load_from_file(path, native);
            if (ptr == 0)
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (state.Error is not null) throw state.Error;
                throw new ModelLoadException(path, LlamaLog.TakeLastProblem() ?? "llama.cpp returned no model (see the log)");
            }
            var h = new SafeLlamaModelHandle();
            h.SetHandle(ptr);
            h._vocab = NativeMethods.llama_model_get_vocab(ptr);
            h.VocabCount = NativeMethods.llama_vocab_n_tokens(h._vocab);
            return h;
        }
        finally
        {
            gc.Free();
        }
    }

    private sealed class LoadState(IProgress<float>? progress, CancellationToken token)
    {
        public readonly IProgress<float>? Progress = progress;
        public readonly CancellationToken Token = token;
        public Exception? Error;
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(System.Runtime.CompilerServices.CallConvCdecl)])]
    private static bool OnProgress(float value, void* userData)
    {
        var state = (LoadState)GCHandle.FromIntPtr((nint)userData).Target!;
        try
        {
            state.Progress?.Report(value);
            return !state.Token.IsCancellationRequested;
        }
        catch (Exception ex)
        {
            state.Error = ex;
            return false;
        }
    }

    protected override bool ReleaseHandle()
    {
        NativeMethods.llama_model_free(handle);
        return true;
    }

    internal nint Vocab { get { ThrowIfDisposed(); return _vocab; } }

    private void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(IsClosed || IsInvalid, this);

    // ---- model facts ----
    public int TrainContextLength { get { ThrowIfDisposed(); return NativeMethods.llama_model_n_ctx_train(handle); } }
    public int EmbeddingLength { get { ThrowIfDisposed(); return NativeMethods.llama_model_n_embd(handle); } }
    public int LayerCount { get { ThrowIfDisposed(); return NativeMethods.llama_model_n_layer(handle); } }
    public int HeadCount { get { ThrowIfDisposed(); return NativeMethods.llama_model_n_head(handle); } }
    public long SizeBytes { get { ThrowIfDisposed(); return (long)NativeMethods.llama_model_size(handle); } }
    public long ParameterCount { get { ThrowIfDisposed(); return (long)NativeMethods.llama_model_n_params(handle); } }
    public bool HasEncoder { get { ThrowIfDisposed(); return NativeMethods.llama_model_has_encoder(handle); } }
    public bool IsRecurrent { get { ThrowIfDisposed(); return NativeMethods.llama_model_is_recurrent(handle); } }
    public string FileTypeName { get { ThrowIfDisposed(); return Utf8.FromNative(NativeMethods.llama_ftype_name(NativeMethods.llama_model_ftype(handle))); } }

    public string Description
    {
        get
        {
            ThrowIfDisposed();
            var buf = stackalloc byte[256];
            var n = NativeMethods.llama_model_desc(handle, buf, 256);
            return n <= 0 ? "" : Encoding.UTF8.GetString(buf, Math.Min(n, 255));
        }
    }

    /// <summary>The GGUF's chat template (tokenizer.chat_template, or a named one), or null.</summary>
    public string? ChatTemplate(string? name = null)
    {
        ThrowIfDisposed();
        var p = NativeMethods.llama_model_chat_template(handle, name);
        return p == null ? null : Utf8.FromNative(p);
    }

    /// <summary>All metadata key/value pairs as llama.cpp renders them to strings (arrays summarised).</summary>
    public IReadOnlyDictionary<string, string> Metadata()
    {
        ThrowIfDisposed();
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        var count = NativeMethods.llama_model_meta_count(handle);
        for (var i = 0; i < count; i++)
        {
            var key = ReadString((b, n) => NativeMethods.llama_model_meta_key_by_index(handle, i, b, n));
            var value = ReadString((b, n) => NativeMethods.llama_model_meta_val_str_by_index(handle, i, b, n));
            result[key] = value;
        }
        return result;
    }

    private delegate int StringReader(byte* buffer, nuint size);

    private static string ReadString(StringReader read)
    {
        var size = 256;
        while (true)
        {
            var buf = new byte[size];
            int n;
            fixed (byte* b = buf) n = read(b, (nuint)size);
            if (n < 0) return "";
            if (n < size) return Encoding.UTF8.GetString(buf, 0, n);
            size = n + 1;
        }
    }

    // ---- vocabulary ----
    public LlamaVocabType VocabType { get { ThrowIfDisposed(); return (LlamaVocabType)NativeMethods.llama_vocab_type(_vocab); } }
    public int BosToken { get { ThrowIfDisposed(); return NativeMethods.llama_vocab_bos(_vocab); } }
    public int EosToken { get { ThrowIfDisposed(); return NativeMethods.llama_vocab_eos(_vocab); } }
    public int EotToken { get { ThrowIfDisposed(); return NativeMethods.llama_vocab_eot(_vocab); } }
    public bool AddBos { get { ThrowIfDisposed(); return NativeMethods.llama_vocab_get_add_bos(_vocab); } }
    public bool AddEos { get { ThrowIfDisposed(); return NativeMethods.llama_vocab_get_add_eos(_vocab); } }

    public bool IsEndOfGeneration(int token) { ValidateToken(token); return NativeMethods.llama_vocab_is_eog(_vocab, token); }
    public bool IsControl(int token) { ValidateToken(token); return NativeMethods.llama_vocab_is_control(_vocab, token); }

    /// <summary>The vocabulary's text for a token (raw, as stored), e.g. "&lt;|im_end|&gt;" or "▁the".</summary>
    public string TokenText(int token) { ValidateToken(token); return Utf8.FromNative(NativeMethods.llama_vocab_get_text(_vocab, token)); }

    /// <summary>Throws unless <paramref name="token"/> is a valid id of this vocabulary.</summary>
    public void ValidateToken(int token)
    {
        ThrowIfDisposed();
        if ((uint)token >= (uint)VocabCount)
            throw new ArgumentOutOfRangeException(nameof(token), token, $"Token id {token} is outside the vocabulary (0..{VocabCount - 1}).");
    }

    /// <summary>Tokenizes UTF-8 text. <paramref name="addSpecial"/> adds BOS/EOS as the vocab says; <paramref name="parseSpecial"/> turns special-token text (e.g. &lt;|im_start|&gt;) into those tokens.</summary>
    public int[] Tokenize(string text, bool addSpecial, bool parseSpecial)
    {
        ThrowIfDisposed();
        ArgumentNullException.ThrowIfNull(text);
        var bytes = Encoding.UTF8.GetBytes(text);
        var capacity = bytes.Length + 8;
        while (true)
        {
            var tokens = new int[capacity];
            int n;
            fixed (byte* t = bytes)
            fixed (int* o = tokens)
                n = NativeMethods.llama_tokenize(_vocab, t, bytes.Length, o, capacity, addSpecial, parseSpecial);
            if (n == int.MinValue) throw new LlamaException($"Tokenization overflow: {bytes.Length} bytes of text produce more than int.MaxValue tokens.");
            if (n >= 0) { Array.Resize(ref tokens, n); return tokens; }
            capacity = -n;
        }
    }

    /// <summary>The bytes of one token's text (may be part of a UTF-8 sequence). <paramref name="special"/> renders control tokens.</summary>
    public int TokenToPiece(int token, Span<byte> buffer, bool special)
    {
        ValidateToken(token);
        fixed (byte* b = buffer)
        {
            var n = NativeMethods.llama_token_to_piece(_vocab, token, b, buffer.Length, 0, special);
            return n;
        }
    }

    /// <summary>The bytes of one token, growing the buffer as needed.</summary>
    public byte[] TokenToBytes(int token, bool special)
    {
        Span<byte> small = stackalloc byte[64];
        var n = TokenToPiece(token, small, special);
        if (n >= 0) return small[..n].ToArray();
        var big = new byte[-n];
        n = TokenToPiece(token, big, special);
        return big[..Math.Max(n, 0)];
    }

    /// <summary>Detokenizes a whole sequence (llama_detokenize), validating every id first.</summary>
    public string Detokenize(ReadOnlySpan<int> tokens, bool removeSpecial, bool unparseSpecial)
    {
        foreach (var t in tokens) ValidateToken(t);
        var capacity = Math.Max(16, tokens.Length * 8);
        while (true)
        {
            var buf = new byte[capacity];
            int n;
            fixed (int* t = tokens)
            fixed (byte* b = buf)
                n = NativeMethods.llama_detokenize(_vocab, t, tokens.Length, b, capacity, removeSpecial, unparseSpecial);
            if (n >= 0) return Encoding.UTF8.GetString(buf, 0, n);
            capacity = -n;
        }
    }

    /// <summary>
    /// llama.cpp's built-in template formatter (llama_chat_apply_template): <paramref name="template"/> is a template
    /// source or a built-in name such as "chatml". Returns null when llama.cpp does not recognise the template.
    /// </summary>
    public static string? ApplyBuiltinTemplate(string template, IReadOnlyList<(string Role, string Content)> messages, bool addAssistant)
    {
        var handles = new List<GCHandle>();
        try
        {
            byte* Pin(string s)
            {
                var h = GCHandle.Alloc(Utf8.ToNullTerminated(s), GCHandleType.Pinned);
                handles.Add(h);
                return (byte*)h.AddrOfPinnedObject();
            }
            var chat = new LlamaChatMessage[messages.Count];
            var total = 0;
            for (var i = 0; i < messages.Count; i++)
            {
                chat[i] = new LlamaChatMessage { Role = Pin(messages[i].Role), Content = Pin(messages[i].Content) };
                total += messages[i].Content.Length + messages[i].Role.Length;
            }
            var tmpl = Pin(template);
            var capacity = total * 2 + 256;
            while (true)
            {
                var buf = new byte[capacity];
                int n;
                fixed (LlamaChatMessage* c = chat)
                fixed (byte* b = buf)
                    n = NativeMethods.llama_chat_apply_template(tmpl, c, (nuint)chat.Length, addAssistant, b, capacity);
                if (n < 0) return null;
                if (n <= capacity) return Encoding.UTF8.GetString(buf, 0, n);
                capacity = n;
            }
        }
        finally
        {
            foreach (var h in handles) h.Free();
        }
    }

    /// <summary>The names of llama.cpp's built-in chat templates (chatml, llama3, mistral-v7, ...).</summary>
    public static IReadOnlyList<string> BuiltinTemplates()
    {
        var n = NativeMethods.llama_chat_builtin_templates(null, 0);
        var ptrs = new byte*[Math.Max(n, 1)];
        fixed (byte** p = ptrs) n = NativeMethods.llama_chat_builtin_templates(p, (nuint)ptrs.Length);
        var list = new List<string>(n);
        for (var i = 0; i < n; i++) list.Add(Utf8.FromNative(ptrs[i]));
        return list;
    }
}
