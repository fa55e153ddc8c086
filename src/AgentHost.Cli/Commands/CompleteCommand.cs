using System.CommandLine;
using AgentHost.Llama.Engine;
using AgentHost.Native;

namespace AgentHost.Cli.Commands;

/// <summary>`agenthost complete`: raw completion of a prompt; only the generated text goes to stdout.</summary>
internal static class CompleteCommand
{
    public static Command Create()
    {
        var common = new CommonOptions();
        var prompt = new Option<string>("--prompt", "-p") { Description = "Prompt text", Required = true };
        var maxTokens = new Option<int>("--max-tokens", "-n") { Description = "Most tokens to generate", DefaultValueFactory = _ => 128 };
        var temperature = new Option<float?>("--temperature") { Description = "Sampling temperature (0 = greedy)" };
        var seed = new Option<uint?>("--seed") { Description = "Sampling seed" };
        var command = new Command("complete", "Complete a prompt with the raw model (BOS as the vocabulary says)");
        common.AddTo(command);
        command.Options.Add(prompt);
        command.Options.Add(maxTokens);
        command.Options.Add(temperature);
        command.Options.Add(seed);
        command.SetAction(async (parse, ct) =>
        {
            var options = await common.BuildAsync(parse, ct);
            using var engine = CliConsole.WithLoadProgress(Path.GetFileName(options.ModelPath ?? "model"), p => LlamaEngine.Load(options, progress: p, cancellationToken: ct));
            var defaults = options.Defaults;
            var request = new GenerationRequest
            {
                Prompt = parse.GetValue(prompt),
                MaxTokens = parse.GetValue(maxTokens),
                Sampling = new SamplerSettings
                {
                    Temperature = parse.GetValue(temperature) ?? defaults.Temperature,
                    TopK = defaults.TopK,
                    TopP = defaults.TopP,
                    MinP = defaults.MinP,
                    RepeatPenalty = defaults.RepeatPenalty,
                    Seed = parse.GetValue(seed) ?? defaults.Seed ?? (uint)Random.Shared.Next(),
                },
            };
            await foreach (var update in engine.GenerateAsync(request, ct))
                Console.Out.Write(update.Text);
            // Exactly the generated text when piped; a final newline only for a person at a terminal.
            if (!Console.IsOutputRedirected) Console.Out.WriteLine();
            return 0;
        });
        return command;
    }
}
