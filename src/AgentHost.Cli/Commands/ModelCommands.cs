using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Nodes;
using AgentHost.Gguf;
using AgentHost.Llama;
using AgentHost.Models;
using AgentHost.Native;
using Spectre.Console;

namespace AgentHost.Cli.Commands;

/// <summary>`agenthost model ...`: inspect GGUF files.</summary>
internal static class ModelCommands
{
    public static Command Create()
    {
        var model = new Command("model", "Inspect and manage models");
        model.Subcommands.Add(Inspect());
        model.Subcommands.Add(Pull());
        model.Subcommands.Add(List());
        model.Subcommands.Add(Remove());
        model.Subcommands.Add(Synth());
        return model;
    }

    private static Command Inspect()
    {
        var path = new Argument<string>("model") { Description = "A GGUF file, or a reference (hf:OWNER/REPO/FILE.gguf) in the cache" };
        var json = new Option<bool>("--json") { Description = "Print the metadata as one JSON object" };
        var load = new Option<bool>("--load") { Description = "Also load the model and show the backend, devices and offloaded layers" };
        var backend = new Option<LlamaBackendKind?>("--backend") { Description = "Backend for --load" };
        var gpuLayers = new Option<int?>("--gpu-layers", "-ngl") { Description = "GPU layers for --load" };
        var command = new Command("inspect", "Show a GGUF's metadata (architecture, parameters, context, chat template, special tokens, every key)");
        command.Arguments.Add(path);
        command.Options.Add(json);
        command.Options.Add(load);
        command.Options.Add(backend);
        command.Options.Add(gpuLayers);
        command.SetAction(async (parse, ct) =>
        {
            var file = GgufFile.Read(await LocalPathOf(parse.GetValue(path)!, ct));
            JsonObject? loaded = null;
            if (parse.GetValue(load))
            {
                using var m = LlamaModel.Load(file.FilePath!, new ModelLoadParameters { GpuLayers = parse.GetValue(gpuLayers) ?? -1 },
                    new NativeRuntimeOptions { Backend = parse.GetValue(backend) ?? LlamaBackendKind.Auto });
                var sel = LlamaNativeLibrary.Selection!;
                loaded = new JsonObject
                {
                    ["backend"] = sel.Backend.ToString(),
                    ["reason"] = sel.Reason,
                    ["devices"] = new JsonArray(sel.Devices.Select(d => (JsonNode)$"{d.Name} ({d.Kind}, {d.Description})").ToArray()),
                    ["gpu_layers_requested"] = parse.GetValue(gpuLayers) ?? -1,
                    ["layers"] = m.Handle.LayerCount,
                    // llama.cpp offloads the repeating layers plus the output layer: n_layer + 1 in all.
                    ["offloaded_layers"] = sel.UsesGpu ? Math.Min((parse.GetValue(gpuLayers) ?? -1) is var n and >= 0 ? n : int.MaxValue, m.Handle.LayerCount + 1) : 0,
                    ["size_bytes"] = m.Handle.SizeBytes,
                    ["description"] = m.Handle.Description,
                };
            }
            if (parse.GetValue(json))
            {
                using (var stdout = Console.OpenStandardOutput())
                using (var writer = new Utf8JsonWriter(stdout, new JsonWriterOptions { Indented = true }))
                    ToJson(file, loaded).WriteTo(writer);
                Console.Out.WriteLine();
                return 0;
            }
            var summary = new Table().Title("[bold]" + Markup.Escape(Path.GetFileName(file.FilePath ?? "")) + "[/]").AddColumns("property", "value");
            foreach (var (k, v) in Summary(file)) summary.AddRow(Markup.Escape(k), Markup.Escape(v));
            if (loaded is not null) foreach (var (k, v) in loaded) summary.AddRow(Markup.Escape("load." + k), Markup.Escape(v?.ToJsonString() ?? ""));
            CliConsole.Out.Write(summary);
            var keys = new Table().Title("metadata").AddColumns("key", "type", "value");
            foreach (var (key, value) in file.Metadata) keys.AddRow(Markup.Escape(key), Markup.Escape(value.TypeName), Markup.Escape(Preview(value)));
            CliConsole.Out.Write(keys);
            return 0;
        });
        return command;
    }

    /// <summary>A path as is; a reference from the cache, or (if not cached) a clear error saying how to get it.</summary>
    private static async Task<string> LocalPathOf(string model, CancellationToken ct)
    {
        if (File.Exists(model)) return model;
        var reference = ModelReference.Parse(model);
        if (reference.Kind == ModelReferenceKind.LocalPath) throw new FileNotFoundException($"Model file not found: {reference.LocalPath}", reference.LocalPath);
        var cache = ModelLocator.Cache(CommonOptions.LoadConfiguration());
        if (cache.IsCached(reference)) return cache.GetPath(reference);
        using var downloader = new ModelDownloader(cache);
        var remote = await downloader.ProbeAsync(reference, ct);
        var size = remote.Sum(r => r.SizeBytes ?? 0);
        throw new InvalidOperationException($"{reference} is not in the cache ({remote.Count} file(s), {size:N0} bytes remote{(remote[0].Sha256 is { } sha ? ", sha256 " + sha : "")}); run 'agenthost model pull {reference}' to read its metadata.");
    }

    private static Command Pull()
    {
        var reference = new Argument<string>("reference") { Description = "hf:OWNER/REPO/FILE.gguf[@REVISION] or an https:// URL" };
        var command = new Command("pull", "Download a model into the cache (resumable, verified), with progress on stderr; prints the local path");
        command.Arguments.Add(reference);
        command.SetAction(async (parse, ct) =>
        {
            var cache = ModelLocator.Cache(CommonOptions.LoadConfiguration());
            using var downloader = new ModelDownloader(cache);
            var parsed = ModelReference.Parse(parse.GetValue(reference)!);
            var path = await ModelLocator.WithDownloadProgress(p => downloader.PullAsync(parsed, p, ct));
            Console.Out.WriteLine(path);
            return 0;
        });
        return command;
    }

    private static Command List()
    {
        var json = new Option<bool>("--json") { Description = "Print JSON" };
        var command = new Command("list", "List cached models with size, architecture, quantization and last use");
        command.Options.Add(json);
        command.SetAction(parse =>
        {
            var cache = ModelLocator.Cache(CommonOptions.LoadConfiguration());
            var rows = cache.List().Select(e =>
            {
                GgufFile? g = null;
                try { if (e.IsComplete) g = GgufFile.Read(e.Files[0]); } catch (AgentHostException) { }
                return new { reference = e.Reference.ToString(), path = e.Path, size_bytes = e.SizeBytes, complete = e.IsComplete, architecture = g?.Architecture, quantization = g?.FileTypeName, last_used = e.LastUsedAt };
            }).ToList();
            if (parse.GetValue(json))
            {
                Console.Out.WriteLine(JsonSerializer.Serialize(rows, new JsonSerializerOptions { TypeInfoResolver = new System.Text.Json.Serialization.Metadata.DefaultJsonTypeInfoResolver() }));
                return 0;
            }
            var table = new Table().AddColumns("model", "size", "architecture", "quantization", "last used");
            foreach (var r in rows)
                table.AddRow(Markup.Escape(r.reference), $"{r.size_bytes / 1048576.0:F1} MiB{(r.complete ? "" : " (partial)")}", Markup.Escape(r.architecture ?? "?"), Markup.Escape(r.quantization ?? "?"), r.last_used?.ToLocalTime().ToString("yyyy-MM-dd HH:mm") ?? "never");
            CliConsole.Out.Write(table);
            Console.Error.WriteLine($"cache: {cache.RootDirectory}");
            return 0;
        });
        return command;
    }

    private static Command Remove()
    {
        var reference = new Argument<string>("reference") { Description = "A cached model reference" };
        var command = new Command("rm", "Remove a model from the cache");
        command.Arguments.Add(reference);
        command.SetAction(parse =>
        {
            var cache = ModelLocator.Cache(CommonOptions.LoadConfiguration());
            var parsed = ModelReference.Parse(parse.GetValue(reference)!);
            if (!cache.Remove(parsed)) throw new ArgumentException($"{parsed} is not in the cache ({cache.RootDirectory}).");
            Console.Error.WriteLine($"removed {parsed}");
            return 0;
        });
        return command;
    }

    private static Command Synth()
    {
        var output = new Option<string>("--output", "-o") { Description = "GGUF file to write", Required = true };
        var vocab = new Option<string>("--vocab") { Description = "A GGUF with a tokenizer (e.g. models/ggml-vocab-qwen2.gguf of the llama.cpp source)", Required = true };
        var template = new Option<string?>("--template") { Description = "A .jinja chat template to embed (default: the vocab file's)" };
        var shape = new Option<string>("--shape") { Description = "tiny, qwen2.5-0.5b or qwen2.5-1.5b", DefaultValueFactory = _ => "tiny" };
        var arch = new Option<string?>("--arch") { Description = "llama or qwen2 (default: the shape's)" };
        var type = new Option<string>("--type") { Description = "F32, F16 or Q8_0", DefaultValueFactory = _ => "F16" };
        var seed = new Option<ulong>("--seed") { Description = "Weight seed (same seed, same bytes)", DefaultValueFactory = _ => 1 };
        var command = new Command("synth", "Write a random-weight model with a real vocabulary and chat template (for tests and benchmarks)");
        foreach (var o in new Option[] { output, vocab, template, shape, arch, type, seed }) command.Options.Add(o);
        command.SetAction((parse, ct) =>
        {
            var spec = parse.GetValue(shape)!.ToLowerInvariant() switch
            {
                "tiny" => SyntheticModelSpec.Tiny,
                "qwen2.5-0.5b" => SyntheticModelSpec.Qwen25_0_5B,
                "qwen2.5-1.5b" => SyntheticModelSpec.Qwen25_1_5B,
                var other => throw new ArgumentException($"--shape '{other}' is unknown; use tiny, qwen2.5-0.5b or qwen2.5-1.5b."),
            };
            var tensorType = parse.GetValue(type)!.ToUpperInvariant() switch
            {
                "F32" => GgmlType.F32,
                "F16" => GgmlType.F16,
                "Q8_0" => GgmlType.Q8_0,
                var other => throw new ArgumentException($"--type '{other}' is unknown; use F32, F16 or Q8_0."),
            };
            spec = spec with { TensorType = tensorType, Seed = parse.GetValue(seed), Architecture = parse.GetValue(arch) ?? spec.Architecture };
            var templateText = parse.GetValue(template) is { } t ? File.ReadAllText(t) : null;
            var path = parse.GetValue(output)!;
            CliConsole.WithLoadProgress($"writing {Path.GetFileName(path)}", p =>
            {
                SyntheticModelWriter.Write(spec, parse.GetValue(vocab)!, templateText, path, new Progress<double>(v => p.Report((float)v)), ct);
                return 0;
            });
            Console.Out.WriteLine(path);
            return Task.FromResult(0);
        });
        return command;
    }

    private static IEnumerable<(string, string)> Summary(GgufFile f)
    {
        yield return ("architecture", f.Architecture ?? "?");
        yield return ("name", f.Name ?? "");
        yield return ("gguf version", f.Version.ToString());
        yield return ("file type", f.FileTypeName ?? "?");
        yield return ("parameters", f.ParameterCount.ToString("N0"));
        yield return ("file size", $"{f.FileSize:N0} bytes");
        yield return ("context length", f.ContextLength?.ToString() ?? "?");
        yield return ("embedding length", f.EmbeddingLength?.ToString() ?? "?");
        yield return ("layers", f.BlockCount?.ToString() ?? "?");
        yield return ("heads / kv heads", $"{f.HeadCount} / {f.HeadCountKv}");
        yield return ("tokenizer", f.TokenizerModel ?? "?");
        yield return ("vocab size", f.TokenCount?.ToString() ?? "?");
        yield return ("bos / eos / pad", $"{f.BosTokenId} / {f.EosTokenId} / {f.PadTokenId}");
        yield return ("chat template", f.ChatTemplate is { } t ? $"{t.Length} chars" : "(none)");
        yield return ("tensors", f.Tensors.Count.ToString());
    }

    private static string Preview(GgufValue v)
    {
        if (v.IsArray) return $"[{v.Count} items]";
        var s = Convert.ToString(v.Value, System.Globalization.CultureInfo.InvariantCulture) ?? "";
        s = s.Replace("\n", "\\n");
        return s.Length > 80 ? s[..77] + "..." : s;
    }

    private static JsonObject ToJson(GgufFile f, JsonObject? loaded)
    {
        var meta = new JsonObject();
        foreach (var (key, value) in f.Metadata)
            meta[key] = value.IsArray ? $"[{value.TypeName}; {value.Count}]" : JsonValue.Create(value.Value);
        var o = new JsonObject
        {
            ["path"] = f.FilePath,
            ["architecture"] = f.Architecture,
            ["name"] = f.Name,
            ["gguf_version"] = f.Version,
            ["file_type"] = f.FileTypeName,
            ["parameters"] = f.ParameterCount,
            ["file_size"] = f.FileSize,
            ["context_length"] = f.ContextLength,
            ["embedding_length"] = f.EmbeddingLength,
            ["block_count"] = f.BlockCount,
            ["head_count"] = f.HeadCount,
            ["head_count_kv"] = f.HeadCountKv,
            ["tokenizer"] = f.TokenizerModel,
            ["vocab_size"] = f.TokenCount,
            ["bos_token_id"] = f.BosTokenId,
            ["eos_token_id"] = f.EosTokenId,
            ["pad_token_id"] = f.PadTokenId,
            ["chat_template"] = f.ChatTemplate,
            ["tensor_count"] = f.Tensors.Count,
            ["metadata"] = meta,
        };
        if (loaded is not null) o["load"] = loaded;
        return o;
    }
}
