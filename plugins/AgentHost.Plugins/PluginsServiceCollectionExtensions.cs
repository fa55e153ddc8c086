using AgentHost.Llama.Engine;
using AgentHost.Plugins.CustomerService;
using AgentHost.Plugins.CustomerService.Storage;
using AgentHost.Plugins.Filters;
using AgentHost.Plugins.Summarization;
using AgentHost.Plugins.Text;
using AgentHost.Plugins.Translation;
using AgentHost.Plugins.Writing;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.SemanticKernel;

namespace AgentHost.Plugins;

/// <summary>Registers the AgentHost plugins with the kernel that AddAgentHostKernel adds.</summary>
public static class PluginsServiceCollectionExtensions
{
    /// <summary>
    /// Adds the CustomerService, Writing, Translation and Summarization plugins: binds
    /// <see cref="AgentHostPluginOptions"/> from the "Plugins" section, loads prompts/ with SK's prompt-directory
    /// support, registers each plugin as a <see cref="KernelPlugin"/> (so every Kernel from DI has them), the input
    /// validation filter and the tool-error filter. Token counts come from the local model when AddLlamaChatClient
    /// registered one. Call after AddAgentHostKernel.
    /// </summary>
    public static IServiceCollection AddAgentHostPlugins(this IServiceCollection services, IConfiguration? configuration = null, Action<AgentHostPluginOptions>? configure = null)
    {
        services.AddAgentHostPluginCore(configuration, configure);
        services.AddWritingPlugin();
        services.AddTranslationPlugin();
        services.AddSummarizationPlugin();
        services.AddCustomerServicePlugin();
        return services;
    }

    /// <summary>What every plugin needs: options, the prompt library, the token counter and the filters.</summary>
    public static IServiceCollection AddAgentHostPluginCore(this IServiceCollection services, IConfiguration? configuration = null, Action<AgentHostPluginOptions>? configure = null)
    {
        var options = services.AddOptions<AgentHostPluginOptions>();
        if (configuration is not null) options.Bind(configuration.GetSection(AgentHostPluginOptions.SectionName));
        if (configure is not null) options.Configure(configure);
        if (services.Any(d => d.ServiceType == typeof(PromptLibrary))) return services; // the rest is registered once
        options.ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<AgentHostPluginOptions>, AgentHostPluginOptionsValidator>());

        services.TryAddSingleton(sp => new PromptLibrary(
            sp.GetRequiredService<IOptions<AgentHostPluginOptions>>().Value.PromptsDirectory ?? PromptLibrary.DefaultDirectory,
            sp.GetService<ILoggerFactory>()));
        // The model's own tokenizer when a local model is registered; otherwise a conservative estimate.
        services.TryAddSingleton<ITokenCounter>(sp => new DeferredTokenCounter(() =>
            sp.GetService<LlamaEngine>() is { } engine ? new LlamaTokenCounter(engine) : new ApproximateTokenCounter(4096)));
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IFunctionInvocationFilter, InputSchemaValidationFilter>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IAutoFunctionInvocationFilter, ToolErrorFilter>());
        return services;
    }

    public static IServiceCollection AddWritingPlugin(this IServiceCollection services)
    {
        services.AddAgentHostPluginCore();
        services.TryAddSingleton<WritingPlugin>();
        return services.AddComposedPlugin<WritingPlugin>(WritingPlugin.PluginName);
    }

    public static IServiceCollection AddTranslationPlugin(this IServiceCollection services)
    {
        services.AddAgentHostPluginCore();
        services.TryAddSingleton<Translator>();
        services.TryAddSingleton<TranslationPlugin>();
        return services.AddComposedPlugin<TranslationPlugin>(TranslationPlugin.PluginName);
    }

    public static IServiceCollection AddSummarizationPlugin(this IServiceCollection services)
    {
        services.AddAgentHostPluginCore();
        services.TryAddSingleton<Summarizer>();
        services.TryAddSingleton<SummarizationPlugin>();
        return services.AddComposedPlugin<SummarizationPlugin>(SummarizationPlugin.PluginName);
    }

    /// <summary>
    /// The CustomerService plugin and its stores: the SQLite database (Plugins:CustomerService:DatabasePath), the
    /// knowledge base (Plugins:CustomerService:KnowledgeBaseDirectory) with embeddings from an
    /// IEmbeddingGenerator&lt;string, Embedding&lt;float&gt;&gt; in DI when there is one, and <see cref="SupportAgent"/>.
    /// </summary>
    public static IServiceCollection AddCustomerServicePlugin(this IServiceCollection services)
    {
        services.AddAgentHostPluginCore();
        services.TryAddSingleton(sp => new SupportDatabase(
            sp.GetRequiredService<IOptions<AgentHostPluginOptions>>().Value.CustomerService.DatabasePath,
            sp.GetService<ILogger<SupportDatabase>>()));
        services.TryAddSingleton(sp => new OrderRepository(sp.GetRequiredService<SupportDatabase>()));
        services.TryAddSingleton(sp => new TicketRepository(sp.GetRequiredService<SupportDatabase>(), sp.GetRequiredService<TimeProvider>()));
        services.TryAddSingleton(sp => new ConversationRepository(sp.GetRequiredService<SupportDatabase>(), sp.GetRequiredService<TimeProvider>()));
        services.TryAddSingleton(sp => new KnowledgeSource(
            sp.GetRequiredService<IOptions<AgentHostPluginOptions>>(),
            sp.GetService<IEmbeddingGenerator<string, Embedding<float>>>(),
            sp.GetService<ILoggerFactory>()));
        services.TryAddSingleton<CustomerServicePlugin>();
        services.TryAddTransient<SupportAgent>();
        return services.AddComposedPlugin<CustomerServicePlugin>(CustomerServicePlugin.PluginName);
    }

    private static IServiceCollection AddComposedPlugin<TPlugin>(this IServiceCollection services, string name) where TPlugin : class
    {
        // Registered once per plugin name even when the Add*Plugin methods are called more than once.
        if (services.Any(d => d.ServiceType == typeof(KernelPlugin) && Equals(d.ServiceKey, name))) return services;
        services.AddKeyedSingleton<KernelPlugin>(name, (sp, _) =>
        {
            var prompts = sp.GetRequiredService<PromptLibrary>();
            var promptPlugin = prompts.Plugins.FirstOrDefault(p => string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase));
            return PluginComposer.Compose(name, sp.GetRequiredService<TPlugin>(), promptPlugin, sp);
        });
        services.AddSingleton(sp => sp.GetRequiredKeyedService<KernelPlugin>(name));
        return services;
    }
}
