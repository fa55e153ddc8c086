using System.CommandLine;
using System.Text.Json;
using AgentHost.Grammar;
using AgentHost.Llama.Benchmarking;
using AgentHost.Llama.Engine;
using AgentHost.Native;
using Spectre.Console;

namespace AgentHost.Cli.Commands;

/// <summary>`agenthost bench`: prompt-processing and generation tokens/s, like llama-bench.</summary>
internal static class BenchCommand
{
    public static Command Create()
    {
        var common = new CommonOptions();
        var pp = new Option<int>("--prompt-tokens", "-p") { Description = "Prompt tokens per pp run", DefaultValueFactory = _ => 512 };
        var tg = new Option<int>("--gen-tokens", "-n") { Description = "Generated tokens per tg run", DefaultValueFactory = _ => 128 };
        var reps = new Option<int>("--repetitions", "-r") { Description = "Measured repetitions (after one warm-up)", DefaultValueFactory = _ => 5 };
        var json = new Option<bool>("--json") { Description = "Print one JSON object" };
        var schema = new Option<FileInfo?>("--json-schema") { Description = "Constrain the tg runs to this JSON schema (grammar sampling), to measure its cost" };
        var command = new Command("bench", "Measure prompt-processing and generation throughput");
        common.AddTo(command);
        command.Options.Add(pp);
        command.Options.Add(tg);
        command.Options.Add(reps);
        command.Options.Add(json);
        command.Options.Add(schema);
        command.SetAction(async (parse, ct) =>
        {
            var options = await common.BuildAsync(parse, ct);
            var promptTokens = parse.GetValue(pp);
            var genTokens = parse.GetValue(tg);
            if (options.ContextSize < promptTokens + genTokens + 8) options.ContextSize = promptTokens + genTokens + 8;
            options.BatchSize = Math.Max(options.BatchSize, promptTokens);
            using var engine = CliConsole.WithLoadProgress(Path.GetFileName(options.ModelPath ?? "model"), p => LlamaEngine.Load(options, progress: p, cancellationToken: ct));
            SamplerSettings? sampling = null;
            if (parse.GetValue(schema) is { } schemaFile)
            {
                if (!schemaFile.Exists) throw new FileNotFoundException($"JSON schema file not found: {schemaFile.FullName}", schemaFile.FullName);
                sampling = new SamplerSettings { Temperature = 0, Grammar = JsonSchemaGrammar.FromSchemaJson(File.ReadAllText(schemaFile.FullName)) };
            }
            var result = await LlamaBench.Run(engine, promptTokens, genTokens, parse.GetValue(reps), ct, sampling);
            if (parse.GetValue(json))
            {
                Console.Out.WriteLine(JsonSerializer.Serialize(new
                {
                    model = result.Model,
                    backend = result.Backend,
                    threads = result.Threads,
                    pp_tokens = result.PromptProcessing.Tokens,
                    tg_tokens = result.Generation.Tokens,
                    repetitions = Math.Max(result.PromptProcessing.Samples.Count, result.Generation.Samples.Count),
                    pp_tokens_per_s = Math.Round(result.PromptProcessing.MeanTokensPerSecond, 2),
                    pp_stddev = Math.Round(result.PromptProcessing.StdDevTokensPerSecond, 2),
                    tg_tokens_per_s = Math.Round(result.Generation.MeanTokensPerSecond, 2),
                    tg_stddev = Math.Round(result.Generation.StdDevTokensPerSecond, 2),
                    tg_constrained = sampling is not null,
                }));
                return 0;
            }
            var table = new Table().AddColumns("model", "backend", "threads", "test", "t/s");
            if (promptTokens > 0) table.AddRow(result.Model, result.Backend, result.Threads.ToString(), $"pp{promptTokens}", Fmt(result.PromptProcessing));
            if (genTokens > 0) table.AddRow(result.Model, result.Backend, result.Threads.ToString(), sampling is null ? $"tg{genTokens}" : $"tg{genTokens} (json-schema)", Fmt(result.Generation));
            CliConsole.Out.Write(table);
            return 0;
        });
        return command;
    }

    private static string Fmt(BenchFigure f) => $"{f.MeanTokensPerSecond:F2} ± {f.StdDevTokensPerSecond:F2}";
}
