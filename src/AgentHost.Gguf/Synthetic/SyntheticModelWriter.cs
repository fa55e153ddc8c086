namespace AgentHost.Gguf;

/// <summary>
/// Writes a random-weight "llama" or "qwen2" GGUF that llama.cpp loads and runs: the tokenizer comes from a real
/// vocab-only GGUF (every tokenizer.* key copied), the hyperparameters from a <see cref="SyntheticModelSpec"/>, and the
/// weights from a seeded generator, so the same spec and vocabulary always give the same bytes. Weights stream to disk
/// in small chunks; a 0.5B-parameter model never sits in memory.
/// </summary>
public static class SyntheticModelWriter
{
    private const int ChunkValues = 1 << 16;
    private const float WeightHalfRange = 0.0346f; // uniform with std 0.02 (0.02 * sqrt(3))
    private const float NormHalfRange = 0.02f;      // norm scales in [0.98, 1.02)
    private const float BiasHalfRange = 0.02f;

    /// <summary>
    /// Writes the model to <paramref name="outputPath"/> (via a temporary file, renamed when complete).
    /// </summary>
    /// <param name="spec">Model shape, storage type and seed.</param>
    /// <param name="vocabGgufPath">A GGUF with a tokenizer, e.g. models/ggml-vocab-qwen2.gguf of the llama.cpp source.</param>
    /// <param name="chatTemplate">Jinja chat template text for tokenizer.chat_template; null keeps the vocab file's (if any).</param>
    /// <param name="outputPath">The GGUF to create or overwrite.</param>
    /// <param name="progress">Receives the fraction of tensor data written, from 0 to 1.</param>
    /// <param name="cancellationToken">Stops the write; the partial file is removed.</param>
    /// <exception cref="ArgumentException">The spec is inconsistent.</exception>
    /// <exception cref="GgufFormatException">The vocab file is not a valid GGUF.</exception>
    /// <exception cref="GgufMetadataException">The vocab file has no tokenizer.ggml.tokens.</exception>
    public static void Write(SyntheticModelSpec spec, string vocabGgufPath, string? chatTemplate, string outputPath,
        IProgress<double>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentException.ThrowIfNullOrEmpty(vocabGgufPath);
        ArgumentException.ThrowIfNullOrEmpty(outputPath);
        spec.Validate();
        var vocab = GgufFile.Read(vocabGgufPath);

        var fullPath = Path.GetFullPath(outputPath);
        var partial = fullPath + ".partial";
        try
        {
            using (var stream = new FileStream(partial, FileMode.Create, FileAccess.Write, FileShare.None, bufferSize: 1))
                Write(spec, vocab, chatTemplate, stream, progress, cancellationToken);
            File.Move(partial, fullPath, overwrite: true);
        }
        catch
        {
            File.Delete(partial);
            throw;
        }
    }

    /// <summary>Writes the model to a stream (which need not be seekable); the stream is left open.</summary>
    /// <param name="spec">Model shape, storage type and seed.</param>
    /// <param name="vocab">A parsed GGUF with a tokenizer.</param>
    /// <param name="chatTemplate">Jinja chat template text for tokenizer.chat_template; null keeps the vocab file's (if any).</param>
    /// <param name="output">Destination.</param>
    /// <param name="progress">Receives the fraction of tensor data written, from 0 to 1.</param>
    /// <param name="cancellationToken">Stops the write between chunks.</param>
    public static void Write(SyntheticModelSpec spec, GgufFile vocab, string? chatTemplate, Stream output,
        IProgress<double>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(vocab);
        ArgumentNullException.ThrowIfNull(output);
        spec.Validate();
        var vocabSize = vocab.Get<string[]>(GgufKeys.Tokens).Length;
        var tensors = SyntheticTensorLayout.For(spec, vocabSize);

        using var writer = new GgufWriter(output, leaveOpen: true);
        AddMetadata(writer, spec, vocab, vocabSize, chatTemplate);
        foreach (var tensor in tensors) writer.AddTensor(tensor.Name, tensor.Type, tensor.Dimensions);

        var reporter = new ProgressReporter(progress, writer.TensorDataSize);
        var buffer = new float[ChunkValues];
        foreach (var tensor in tensors)
        {
            var random = DeterministicRandom.ForStream(spec.Seed, tensor.Name);
            var (center, halfRange) = tensor.Init switch
            {
                SyntheticInit.Norm => (1f, NormHalfRange),
                SyntheticInit.Bias => (0f, BiasHalfRange),
                _ => (0f, WeightHalfRange),
            };
            for (var left = tensor.ElementCount; left > 0;)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var chunk = buffer.AsSpan(0, (int)Math.Min(left, buffer.Length));
                random.FillUniform(chunk, center, halfRange);
                writer.WriteTensorData(tensor.Name, chunk);
                left -= chunk.Length;
                reporter.Report(writer.TensorDataWritten);
            }
        }
        writer.Finish();
        reporter.Complete();
    }

    private static void AddMetadata(GgufWriter writer, SyntheticModelSpec spec, GgufFile vocab, int vocabSize, string? chatTemplate)
    {
        string Arch(string suffix) => GgufKeys.ForArchitecture(spec.Architecture, suffix);

        writer.AddMetadata(GgufKeys.Architecture, spec.Architecture);
        writer.AddMetadata(GgufKeys.Name, spec.Name);
        writer.AddMetadata(GgufKeys.FileType, (uint)GgufFileTypes.ForTensorType(spec.TensorType)!.Value);
        writer.AddMetadata(GgufKeys.QuantizationVersion, 2u); // GGML_QNT_VERSION
        writer.AddMetadata(Arch(GgufKeys.ContextLength), (uint)spec.ContextLength);
        writer.AddMetadata(Arch(GgufKeys.EmbeddingLength), (uint)spec.EmbeddingLength);
        writer.AddMetadata(Arch(GgufKeys.BlockCount), (uint)spec.BlockCount);
        writer.AddMetadata(Arch(GgufKeys.FeedForwardLength), (uint)spec.FeedForwardLength);
        writer.AddMetadata(Arch(GgufKeys.HeadCount), (uint)spec.HeadCount);
        writer.AddMetadata(Arch(GgufKeys.HeadCountKv), (uint)spec.HeadCountKv);
        writer.AddMetadata(Arch(GgufKeys.RopeFreqBase), spec.RopeFreqBase);
        writer.AddMetadata(Arch(GgufKeys.RmsEpsilon), spec.RmsEpsilon);
        writer.AddMetadata(Arch(GgufKeys.RopeDimensionCount), (uint)spec.HeadDimension);
        writer.AddMetadata(Arch(GgufKeys.VocabSize), (uint)vocabSize);

        foreach (var (key, value) in vocab.Metadata)
        {
            if (!key.StartsWith(GgufKeys.TokenizerPrefix, StringComparison.Ordinal)) continue;
            if (key == GgufKeys.ChatTemplate && chatTemplate is not null) continue;
            writer.AddMetadata(key, value);
        }
        if (chatTemplate is not null) writer.AddMetadata(GgufKeys.ChatTemplate, chatTemplate);
    }

    /// <summary>Reports whole-percent steps of the data section only, so progress handlers are not flooded.</summary>
    private sealed class ProgressReporter(IProgress<double>? progress, long dataBytes)
    {
        private int _lastPercent = -1;

        public void Report(long dataWritten)
        {
            if (progress is null || dataBytes == 0) return;
            var fraction = Math.Clamp((double)dataWritten / dataBytes, 0, 1);
            var percent = (int)(fraction * 100); // 100 only once every byte is written
            if (percent == _lastPercent) return;
            _lastPercent = percent;
            progress.Report(fraction);
        }

        public void Complete()
        {
            if (_lastPercent == 100) return;
            _lastPercent = 100;
            progress?.Report(1.0);
        }
    }
}
