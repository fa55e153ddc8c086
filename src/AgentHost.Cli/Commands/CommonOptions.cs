using System.CommandLine;
using AgentHost.Llama.Options;
using AgentHost.Native;
using Microsoft.Extensions.Configuration;

namespace AgentHost.Cli.Commands;

/// <summary>Options shared by every command that loads a model, and how they override appsettings.json.</summary>
internal sealed class CommonOptions
{
    public Option<string?> Model { get; } = new("--model", "-m") { Description = "A GGUF path or a reference (hf:OWNER/REPO/FILE.gguf[@REV], https://...); overrides Llama:ModelPath" };
    public Option<int?> Context { get; } = new("--ctx", "-c") { Description = "Context window in tokens (Llama:ContextSize)" };
    public Option<int?> Threads { get; } = new("--threads", "-t") { Description = "CPU threads (Llama:Threads; 0 = all cores)" };
    public Option<int?> GpuLayers { get; } = new("--gpu-layers", "-ngl") { Description = "Layers to offload to the GPU: -1 all, 0 none (Llama:GpuLayers)" };
    public Option<LlamaBackendKind?> Backend { get; } = new("--backend") { Description = "Auto, Cpu or Cuda (Llama:Backend)" };
    public Option<bool> Think { get; } = new("--think") { Description = "Thinking models think before answering (Llama:Reasoning:EnableThinking=true)" };
    public Option<bool> NoThink { get; } = new("--no-think") { Description = "Thinking models answer at once (Llama:Reasoning:EnableThinking=false)" };
    public Option<int?> ReasoningBudget { get; } = new("--reasoning-budget") { Description = "Most thinking tokens before the thinking block is closed for the model: -1 unlimited, 0 none (Llama:Reasoning:BudgetTokens)" };

    public void AddTo(Command command)
    {
        command.Options.Add(Model);
        command.Options.Add(Context);
        command.Options.Add(Threads);
        command.Options.Add(GpuLayers);
        command.Options.Add(Backend);
        command.Options.Add(Think);
        command.Options.Add(NoThink);
        command.Options.Add(ReasoningBudget);
    }

    /// <summary>appsettings.json (next to the app, then the current folder), AGENTHOST_ environment variables, then the command line.</summary>
    public static IConfigurationRoot LoadConfiguration() => new ConfigurationBuilder()
        .AddJsonFile(Path.Combine(AppContext.BaseDirectory, "appsettings.json"), optional: true)
        .AddJsonFile(Path.Combine(Directory.GetCurrentDirectory(), "appsettings.json"), optional: true)
        .AddEnvironmentVariables("AGENTHOST_")
        .Build();

    /// <summary>The effective options, with the model resolved to a local file (pulled into the cache if it is a reference).</summary>
    public async Task<LlamaOptions> BuildAsync(ParseResult parse, CancellationToken cancellationToken)
    {
        var configuration = LoadConfiguration();
        var options = new LlamaOptions();
        configuration.GetSection(LlamaOptions.SectionName).Bind(options);
        Apply(parse, options);
        options.ModelPath = await ModelLocator.ResolveAsync(options.ModelPath, configuration, cancellationToken);
        return options;
    }

    /// <summary>Writes the command-line values over <paramref name="options"/>.</summary>
    public void Apply(ParseResult parse, LlamaOptions options)
    {
        if (parse.GetValue(Model) is { } model) options.ModelPath = model;
        if (parse.GetValue(Context) is { } ctx) options.ContextSize = ctx;
        if (parse.GetValue(Threads) is { } threads) options.Threads = threads;
        if (parse.GetValue(GpuLayers) is { } ngl) options.GpuLayers = ngl;
        if (parse.GetValue(Backend) is { } backend) options.Backend = backend;
        if (parse.GetValue(Think) && parse.GetValue(NoThink)) throw new ArgumentException("--think and --no-think cannot be given together.");
        if (parse.GetValue(Think)) options.Reasoning.EnableThinking = true;
        if (parse.GetValue(NoThink)) options.Reasoning.EnableThinking = false;
        if (parse.GetValue(ReasoningBudget) is { } budget)
        {
            if (budget is < -1 or > Llama.Engine.ReasoningBudget.MaxTokens)
                throw new ArgumentException($"--reasoning-budget must be -1 (unlimited) or between 0 and {Llama.Engine.ReasoningBudget.MaxTokens}, was {budget}.");
            options.Reasoning.BudgetTokens = budget;
        }
    }
}
