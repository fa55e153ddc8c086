using AgentHost.Hosting.ToolArguments;
using AgentHost.Llama;
using AgentHost.Llama.Chat;
using AgentHost.Llama.Engine;
using AgentHost.Llama.Options;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace AgentHost.Hosting;

/// <summary>Registers the local llama.cpp model as MEAI's <see cref="IChatClient"/>.</summary>
public static class LlamaServiceCollectionExtensions
{
    /// <summary>
    /// Key of the <see cref="IChatClient"/> at the bottom of every pipeline this host builds (this default one, the
    /// kernel's, the agents', the server's): the local <see cref="LlamaChatClient"/>, unless a cluster node replaces it
    /// with a client that runs each request on the node whose KV cache holds its prompt.
    /// </summary>
    public const string ModelChatClientKey = "AgentHost.Model";

    /// <summary>
    /// Binds <see cref="LlamaOptions"/> from the "Llama" configuration section (validated at start, messages naming
    /// the key), loads the model once as a singleton <see cref="LlamaEngine"/>, and registers an
    /// <see cref="IChatClient"/> composed with MEAI middleware: function invocation (each call's arguments validated against
    /// the function's JSON schema first), logging, OpenTelemetry.
    /// </summary>
    public static ChatClientBuilder AddLlamaChatClient(this IServiceCollection services, IConfiguration? configuration = null, Action<LlamaOptions>? configure = null)
    {
        var options = services.AddOptions<LlamaOptions>();
        if (configuration is not null) options.Bind(configuration.GetSection(LlamaOptions.SectionName));
        if (configure is not null) options.Configure(configure);
        options.ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<LlamaOptions>, LlamaOptionsValidator>());

        services.TryAddSingleton(sp =>
        {
            var o = sp.GetRequiredService<IOptions<LlamaOptions>>().Value;
            var progress = sp.GetService<IProgress<float>>();
            return LlamaEngine.Load(o, sp.GetService<ILoggerFactory>(), progress);
        });
        services.TryAddSingleton(sp => ChatPromptFormatterFactory.Create(
            sp.GetRequiredService<LlamaEngine>().Model,
            sp.GetRequiredService<IOptions<LlamaOptions>>().Value.ChatTemplate,
            sp.GetService<ILoggerFactory>()?.CreateLogger("AgentHost.Llama.Chat")));
        services.TryAddSingleton(sp => new LlamaChatClient(sp.GetRequiredService<LlamaEngine>(), sp.GetRequiredService<IChatPromptFormatter>(), sp.GetService<ILoggerFactory>()?.CreateLogger<LlamaChatClient>()));

        services.TryAddKeyedSingleton<IChatClient>(ModelChatClientKey, (sp, _) => sp.GetRequiredService<LlamaChatClient>());

        return services.AddChatClient(sp => sp.GetRequiredKeyedService<IChatClient>(ModelChatClientKey))
            .UseFunctionInvocationWithArgumentValidation()
            .UseOpenTelemetry(sourceName: "AgentHost")
            .UseLogging();
    }
}
