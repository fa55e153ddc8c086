using AgentHost.Gguf;
using AgentHost.Hosting;
using AgentHost.Llama.Engine;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.SemanticKernel;

namespace AgentHost.Plugins.Tests.EndToEnd;

/// <summary>
/// A tiny random-weight qwen2 model with the real Qwen2 vocabulary and the Qwen2.5 chat template (what
/// `agenthost model synth` writes), served by a generic host exactly as the README wires it:
/// AddLlamaChatClient + AddAgentHostKernel + AddAgentHostPlugins. Written once per test class.
/// </summary>
public sealed class SyntheticModelFixture : IDisposable
{
    public SyntheticModelFixture()
    {
        Directory = TestAssets.NewTempDir("synthetic-e2e");
        ModelPath = Path.Combine(Directory, "qwen2-tiny.gguf");
        SyntheticModelWriter.Write(SyntheticModelSpec.Tiny with { Seed = 7 }, TestAssets.VocabGguf("qwen2"),
            File.ReadAllText(TestAssets.ChatTemplate("Qwen-Qwen2.5-7B-Instruct")), ModelPath);
        Host = BuildHost(ModelPath, Directory, contextSize: 4096);
        Kernel = Host.Services.GetRequiredService<Kernel>();
        // A second host with a small window, so long-text tests split into several chunks without long inputs.
        SmallContextHost = BuildHost(ModelPath, System.IO.Path.Combine(Directory, "small"), contextSize: 1280);
    }

    /// <summary>The same model with a 1280-token window per request.</summary>
    public IHost SmallContextHost { get; }

    public string Directory { get; }
    public string ModelPath { get; }
    public IHost Host { get; }
    public Kernel Kernel { get; }
    public LlamaEngine Engine => Host.Services.GetRequiredService<LlamaEngine>();

    public static IHost BuildHost(string modelPath, string directory, int contextSize, Action<IServiceCollection>? services = null)
    {
        var builder = Microsoft.Extensions.Hosting.Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Llama:ModelPath"] = modelPath,
            ["Llama:Backend"] = "Cpu",
            ["Llama:ContextSize"] = contextSize.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Llama:Parallel"] = "2",
            ["Llama:Threads"] = "2",
            ["Llama:Defaults:Temperature"] = "0",
            ["Llama:Defaults:Seed"] = "1",
            ["Plugins:CustomerService:MaxReplyTokens"] = "8",
            ["Plugins:CustomerService:DatabasePath"] = Path.Combine(directory, "support.db"),
            ["Plugins:CustomerService:KnowledgeBaseDirectory"] = Path.Combine(TestAssets.RepoRoot, "samples", "CustomerServiceBot", "knowledge"),
        });
        builder.Services.AddLogging();
        builder.Services.AddLlamaChatClient(builder.Configuration);
        builder.Services.AddAgentHostKernel();
        builder.Services.AddAgentHostPlugins(builder.Configuration);
        // Random weights rarely stop on their own: answers are capped so the suite stays fast (the wiring is what is tested).
        builder.Services.AddSingleton<IFunctionInvocationFilter>(new OutputCap(8));
        services?.Invoke(builder.Services);
        return builder.Build();
    }

    public void Dispose()
    {
        Host.Dispose();
        SmallContextHost.Dispose();
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    /// <summary>Caps max_tokens of every prompt function call, keeping its other settings (response_format included).</summary>
    public sealed class OutputCap(int maxTokens) : IFunctionInvocationFilter
    {
        public async Task OnFunctionInvocationAsync(FunctionInvocationContext context, Func<FunctionInvocationContext, Task> next)
        {
            var configured = context.Arguments.ExecutionSettings?.GetValueOrDefault(PromptExecutionSettings.DefaultServiceId)
                ?? context.Function.ExecutionSettings?.GetValueOrDefault(PromptExecutionSettings.DefaultServiceId);
            if (configured is not null)
            {
                var capped = configured.Clone();
                capped.ExtensionData ??= new Dictionary<string, object>();
                var current = capped.ExtensionData.TryGetValue("max_tokens", out var v) ? Convert.ToInt32(v.ToString(), System.Globalization.CultureInfo.InvariantCulture) : int.MaxValue;
                capped.ExtensionData["max_tokens"] = Math.Min(current, maxTokens);
                context.Arguments.ExecutionSettings = new Dictionary<string, PromptExecutionSettings> { [PromptExecutionSettings.DefaultServiceId] = capped };
            }
            await next(context);
        }
    }
}
